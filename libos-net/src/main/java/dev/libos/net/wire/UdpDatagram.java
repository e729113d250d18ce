package dev.libos.net.wire;

import static dev.libos.net.wire.UdpDescriptor.*;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over a UDP datagram; see {@link UdpDescriptor}. The view's length is the buffer
 * (the IPv4 payload); the datagram is its first {@link #datagramLength()} bytes.
 */
public final class UdpDatagram extends WireView {
    /**
     * Validates {@code length} bytes at {@code offset} as a UDP datagram sent from
     * {@code sourceAddress} to {@code destinationAddress}: a full header, a length field from 8
     * to {@code length}, and a checksum that is zero (not computed, RFC 768) or verifies over the
     * pseudo-header and {@code datagramLength} bytes.
     *
     * @return OK or a {@code UDP_*} reason; never throws on malformed input
     */
    public static WireCheck check(MemorySegment segment, long offset, int length, int sourceAddress,
                                  int destinationAddress) {
        return check(segment, offset, length, sourceAddress, destinationAddress, false);
    }

    /**
     * Like {@link #check(MemorySegment, long, int, int, int)}, but when {@code checksumVerified}
     * (the device validated it: receive checksum offload) the checksum is not computed again.
     */
    public static WireCheck check(MemorySegment segment, long offset, int length, int sourceAddress,
                                  int destinationAddress, boolean checksumVerified) {
        if (truncated(segment, offset, length, HEADER_LENGTH)) {
            return WireCheck.UDP_TRUNCATED;
        }
        int datagramLength = Bytes.u16(segment, offset + LENGTH_OFFSET);
        if (datagramLength < HEADER_LENGTH || datagramLength > length) {
            return WireCheck.UDP_BAD_LENGTH;
        }
        if (!checksumVerified && Bytes.u16(segment, offset + CHECKSUM_OFFSET) != 0
                && !checksumVerifies(segment, offset, datagramLength, sourceAddress, destinationAddress)) {
            return WireCheck.UDP_BAD_CHECKSUM;
        }
        return WireCheck.OK;
    }

    private static boolean checksumVerifies(MemorySegment segment, long offset, int datagramLength, int source,
                                            int destination) {
        return Checksum.verifies(
                Checksum.transportSum(segment, offset, datagramLength, source, destination, IpProtocol.UDP));
    }

    /** Wraps without validation (for building datagrams); returns this view. */
    public UdpDatagram wrap(MemorySegment segment, long offset, int length) {
        bind(segment, offset, length);
        return this;
    }

    /** Validates, and wraps when the result is OK (the view is unchanged otherwise). */
    public WireCheck wrapChecked(MemorySegment segment, long offset, int length, int sourceAddress,
                                 int destinationAddress) {
        return wrapChecked(segment, offset, length, sourceAddress, destinationAddress, false);
    }

    /** Validates (the checksum only unless {@code checksumVerified}), and wraps when the result is OK. */
    public WireCheck wrapChecked(MemorySegment segment, long offset, int length, int sourceAddress,
                                 int destinationAddress, boolean checksumVerified) {
        return bindIfOk(check(segment, offset, length, sourceAddress, destinationAddress, checksumVerified), segment,
                offset, length);
    }

    /** Source port. */
    public int sourcePort() {
        return u16(SOURCE_PORT_OFFSET);
    }

    /** Sets the source port. */
    public void setSourcePort(int port) {
        putU16(SOURCE_PORT_OFFSET, Bytes.requireU16("sourcePort", port));
    }

    /** Destination port. */
    public int destinationPort() {
        return u16(DESTINATION_PORT_OFFSET);
    }

    /** Sets the destination port. */
    public void setDestinationPort(int port) {
        putU16(DESTINATION_PORT_OFFSET, Bytes.requireU16("destinationPort", port));
    }

    /** The length field: header plus data. */
    public int datagramLength() {
        return u16(LENGTH_OFFSET);
    }

    /** Sets the length field. */
    public void setDatagramLength(int datagramLength) {
        putU16(LENGTH_OFFSET, Bytes.requireU16("datagramLength", datagramLength));
    }

    /** Checksum field (0: not computed). */
    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    /** Sets the checksum field. */
    public void setChecksum(int checksum) {
        putU16(CHECKSUM_OFFSET, Bytes.requireU16("checksum", checksum));
    }

    /** Length of the data: length field minus the header. */
    public int payloadLength() {
        return datagramLength() - HEADER_LENGTH;
    }

    /** The data as a slice. */
    public MemorySegment payload() {
        return slice(HEADER_LENGTH, payloadLength());
    }

    /** True when the checksum is zero (absent) or verifies. */
    public boolean checksumValid(int sourceAddress, int destinationAddress) {
        return checksum() == 0 || checksumVerifies(segment, offset, datagramLength(), sourceAddress, destinationAddress);
    }

    /** Computes and stores the checksum over pseudo-header, header and data. */
    public void fillChecksum(int sourceAddress, int destinationAddress) {
        int datagramLength = datagramLength();
        setChecksum(0);
        int checksum = Checksum.finish(
                Checksum.transportSum(segment, offset, datagramLength, sourceAddress, destinationAddress, IpProtocol.UDP));
        // RFC 768: a computed checksum of zero is transmitted as all ones; zero means "none".
        setChecksum(checksum == 0 ? 0xFFFF : checksum);
    }
}
