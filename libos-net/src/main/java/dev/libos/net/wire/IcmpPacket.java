package dev.libos.net.wire;

import static dev.libos.net.wire.IcmpDescriptor.*;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over an ICMP message; see {@link IcmpDescriptor}. The view's length is the message
 * length (the IPv4 payload length), over which the checksum is computed.
 */
public final class IcmpPacket extends WireView {
    /**
     * Validates {@code length} bytes at {@code offset} as an ICMP message: a full header and a
     * checksum over all {@code length} bytes that verifies (RFC 792).
     *
     * @return OK, {@link WireCheck#ICMP_TRUNCATED} or {@link WireCheck#ICMP_BAD_CHECKSUM}
     */
    public static WireCheck check(MemorySegment segment, long offset, int length) {
        if (truncated(segment, offset, length, HEADER_LENGTH)) {
            return WireCheck.ICMP_TRUNCATED;
        }
        if (!Checksum.verifies(Checksum.sum(segment, offset, length))) {
            return WireCheck.ICMP_BAD_CHECKSUM;
        }
        return WireCheck.OK;
    }

    /** Wraps without validation (for building messages); returns this view. */
    public IcmpPacket wrap(MemorySegment segment, long offset, int length) {
        bind(segment, offset, length);
        return this;
    }

    /** Validates, and wraps when the result is OK (the view is unchanged otherwise). */
    public WireCheck wrapChecked(MemorySegment segment, long offset, int length) {
        return bindIfOk(check(segment, offset, length), segment, offset, length);
    }

    /** Message type. */
    public int type() {
        return u8(TYPE_OFFSET);
    }

    /** Sets the message type. */
    public void setType(int type) {
        putU8(TYPE_OFFSET, Bytes.requireU8("type", type));
    }

    /** Message code. */
    public int code() {
        return u8(CODE_OFFSET);
    }

    /** Sets the message code. */
    public void setCode(int code) {
        putU8(CODE_OFFSET, Bytes.requireU8("code", code));
    }

    /** Checksum field. */
    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    /** Sets the checksum field. */
    public void setChecksum(int checksum) {
        putU16(CHECKSUM_OFFSET, Bytes.requireU16("checksum", checksum));
    }

    /** The type-specific second word, raw. */
    public int restOfHeader() {
        return i32(REST_OF_HEADER_OFFSET);
    }

    /** Sets the type-specific second word. */
    public void setRestOfHeader(int value) {
        putI32(REST_OF_HEADER_OFFSET, value);
    }

    /** Echo identifier (meaningful for echo and echo reply). */
    public int identifier() {
        return u16(IDENTIFIER_OFFSET);
    }

    /** Sets the echo identifier. */
    public void setIdentifier(int identifier) {
        putU16(IDENTIFIER_OFFSET, Bytes.requireU16("identifier", identifier));
    }

    /** Echo sequence number (meaningful for echo and echo reply). */
    public int sequenceNumber() {
        return u16(SEQUENCE_OFFSET);
    }

    /** Sets the echo sequence number. */
    public void setSequenceNumber(int sequenceNumber) {
        putU16(SEQUENCE_OFFSET, Bytes.requireU16("sequenceNumber", sequenceNumber));
    }

    /** Next-hop MTU (meaningful for destination unreachable, fragmentation needed). */
    public int nextHopMtu() {
        return u16(NEXT_HOP_MTU_OFFSET);
    }

    /** Sets the next-hop MTU. */
    public void setNextHopMtu(int mtu) {
        putU16(NEXT_HOP_MTU_OFFSET, Bytes.requireU16("nextHopMtu", mtu));
    }

    /** Length of the data after the header. */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** The data after the header as a slice. */
    public MemorySegment payload() {
        return slice(HEADER_LENGTH, payloadLength());
    }

    /** Computes and stores the checksum over the whole view. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(Checksum.compute(segment, offset, length));
    }
}
