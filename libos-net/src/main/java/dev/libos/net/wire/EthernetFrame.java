package dev.libos.net.wire;

import static dev.libos.net.wire.EthernetDescriptor.DESTINATION_OFFSET;
import static dev.libos.net.wire.EthernetDescriptor.ETHER_TYPE_OFFSET;
import static dev.libos.net.wire.EthernetDescriptor.HEADER_LENGTH;
import static dev.libos.net.wire.EthernetDescriptor.SOURCE_OFFSET;

import java.lang.foreign.MemorySegment;

/** A flyweight over an Ethernet II frame; see {@link EthernetDescriptor} for the layout. */
public final class EthernetFrame extends WireView {
    /**
     * Validates {@code length} bytes at {@code offset} as an Ethernet II frame.
     *
     * @return OK or {@link WireCheck#ETHERNET_TRUNCATED}; never throws on malformed input
     */
    public static WireCheck check(MemorySegment segment, long offset, int length) {
        if (truncated(segment, offset, length, HEADER_LENGTH)) {
            return WireCheck.ETHERNET_TRUNCATED;
        }
        return WireCheck.OK;
    }

    /** Wraps without validation (for building frames); returns this view. */
    public EthernetFrame wrap(MemorySegment segment, long offset, int length) {
        bind(segment, offset, length);
        return this;
    }

    /** Validates, and wraps when the result is OK (the view is unchanged otherwise). */
    public WireCheck wrapChecked(MemorySegment segment, long offset, int length) {
        return bindIfOk(check(segment, offset, length), segment, offset, length);
    }

    /** Destination MAC address in the low 48 bits. */
    public long destination() {
        return u48(DESTINATION_OFFSET);
    }

    /** Sets the destination MAC address (low 48 bits). */
    public void setDestination(long mac) {
        putU48(DESTINATION_OFFSET, mac);
    }

    /** Source MAC address in the low 48 bits. */
    public long source() {
        return u48(SOURCE_OFFSET);
    }

    /** Sets the source MAC address (low 48 bits). */
    public void setSource(long mac) {
        putU48(SOURCE_OFFSET, mac);
    }

    /** EtherType of the payload, see {@link EtherType}. */
    public int etherType() {
        return u16(ETHER_TYPE_OFFSET);
    }

    /** Sets the EtherType. */
    public void setEtherType(int etherType) {
        putU16(ETHER_TYPE_OFFSET, Bytes.requireU16("etherType", etherType));
    }

    /** Offset of the payload from the start of the frame. */
    public int payloadOffset() {
        return HEADER_LENGTH;
    }

    /** Length of the payload: every byte after the header (including any padding). */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** The payload bytes as a slice. */
    public MemorySegment payload() {
        return slice(HEADER_LENGTH, payloadLength());
    }
}
