package dev.libos.net.wire;

import static dev.libos.net.wire.TcpDescriptor.*;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over a TCP segment; see {@link TcpDescriptor}. TCP has no length field: the
 * view's length is the segment length (header and data), the IPv4 payload length.
 */
public final class TcpSegment extends WireView {
    /**
     * Validates {@code length} bytes at {@code offset} as a TCP segment sent from
     * {@code sourceAddress} to {@code destinationAddress}: a full fixed header, a data offset
     * of at least 5 words within the segment, well-formed options, and a checksum over the
     * pseudo-header and all {@code length} bytes that verifies (RFC 9293 section 3.1; a segment
     * with a bad checksum is discarded, section 3.10.7).
     *
     * @return OK or a {@code TCP_*} reason; never throws on malformed input
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
        if (truncated(segment, offset, length, MIN_HEADER_LENGTH)) {
            return WireCheck.TCP_TRUNCATED;
        }
        int headerLength = (Bytes.u8(segment, offset + DATA_OFFSET_OFFSET) >>> 4) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > length) {
            return WireCheck.TCP_BAD_HEADER_LENGTH;
        }
        if (!TcpOptions.wellFormed(segment, offset + MIN_HEADER_LENGTH, offset + headerLength)) {
            return WireCheck.TCP_BAD_OPTION;
        }
        if (!checksumVerified && !checksumVerifies(segment, offset, length, sourceAddress, destinationAddress)) {
            return WireCheck.TCP_BAD_CHECKSUM;
        }
        return WireCheck.OK;
    }

    private static boolean checksumVerifies(MemorySegment segment, long offset, int length, int source,
                                            int destination) {
        return Checksum.verifies(Checksum.transportSum(segment, offset, length, source, destination, IpProtocol.TCP));
    }

    /** Wraps without validation (for building segments); returns this view. */
    public TcpSegment wrap(MemorySegment segment, long offset, int length) {
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

    /** Sequence number (32-bit unsigned, modular). */
    public int sequenceNumber() {
        return i32(SEQUENCE_OFFSET);
    }

    /** Sets the sequence number. */
    public void setSequenceNumber(int sequenceNumber) {
        putI32(SEQUENCE_OFFSET, sequenceNumber);
    }

    /** Acknowledgment number (32-bit unsigned, modular). */
    public int acknowledgementNumber() {
        return i32(ACKNOWLEDGEMENT_OFFSET);
    }

    /** Sets the acknowledgment number. */
    public void setAcknowledgementNumber(int acknowledgementNumber) {
        putI32(ACKNOWLEDGEMENT_OFFSET, acknowledgementNumber);
    }

    /** Header length in bytes (data offset times 4). */
    public int headerLength() {
        return (u8(DATA_OFFSET_OFFSET) >>> 4) * 4;
    }

    /** Sets the header length in bytes: a multiple of 4 from 0 to 60. */
    public void setHeaderLength(int headerLengthBytes) {
        if (headerLengthBytes < 0 || headerLengthBytes > MAX_HEADER_LENGTH || headerLengthBytes % 4 != 0) {
            throw new IllegalArgumentException("headerLength must be a multiple of 4 in [0, 60]: " + headerLengthBytes);
        }
        putU8(DATA_OFFSET_OFFSET, ((headerLengthBytes / 4) << 4) | (u8(DATA_OFFSET_OFFSET) & 0xF));
    }

    /** The four reserved bits after the data offset (zero on send, RFC 9293). */
    public int reserved() {
        return u8(DATA_OFFSET_OFFSET) & 0xF;
    }

    /** Sets the reserved bits, 0 to 15. */
    public void setReserved(int reserved) {
        Bytes.requireRange("reserved", reserved, 0, 15);
        putU8(DATA_OFFSET_OFFSET, (u8(DATA_OFFSET_OFFSET) & 0xF0) | reserved);
    }

    /** Control bits, see {@link TcpFlags}. */
    public int flags() {
        return u8(FLAGS_OFFSET);
    }

    /** Sets the control bits. */
    public void setFlags(int flags) {
        putU8(FLAGS_OFFSET, Bytes.requireU8("flags", flags));
    }

    /** Window field (unscaled). */
    public int window() {
        return u16(WINDOW_OFFSET);
    }

    /** Sets the window field. */
    public void setWindow(int window) {
        putU16(WINDOW_OFFSET, Bytes.requireU16("window", window));
    }

    /** Checksum field. */
    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    /** Sets the checksum field. */
    public void setChecksum(int checksum) {
        putU16(CHECKSUM_OFFSET, Bytes.requireU16("checksum", checksum));
    }

    /** Urgent pointer. */
    public int urgentPointer() {
        return u16(URGENT_POINTER_OFFSET);
    }

    /** Sets the urgent pointer. */
    public void setUrgentPointer(int urgentPointer) {
        putU16(URGENT_POINTER_OFFSET, Bytes.requireU16("urgentPointer", urgentPointer));
    }

    /** The raw option bytes as a slice. */
    public MemorySegment options() {
        return slice(MIN_HEADER_LENGTH, headerLength() - MIN_HEADER_LENGTH);
    }

    /** Parses the options (the segment must have passed {@link #check}). */
    public TcpOptions parseOptions() {
        return TcpOptions.parse(segment, offset + MIN_HEADER_LENGTH, offset + headerLength());
    }

    /**
     * As {@link #parseOptions()}, but the timestamps go to {@code header} as numbers and the
     * options besides them are returned, {@code previous} again when equal to it.
     */
    TcpOptions parseOptions(TcpOptions previous, MutableTcpHeader header) {
        return TcpOptions.parse(segment, offset + MIN_HEADER_LENGTH, offset + headerLength(), previous, header);
    }

    /** Offset of the data from the start of the segment. */
    public int payloadOffset() {
        return headerLength();
    }

    /** Length of the data. */
    public int payloadLength() {
        return length - headerLength();
    }

    /** The data as a slice. */
    public MemorySegment payload() {
        return slice(headerLength(), payloadLength());
    }

    /** True when the checksum verifies over pseudo-header and the whole view. */
    public boolean checksumValid(int sourceAddress, int destinationAddress) {
        return checksumVerifies(segment, offset, length, sourceAddress, destinationAddress);
    }

    /** Computes and stores the checksum over pseudo-header and the whole view. */
    public void fillChecksum(int sourceAddress, int destinationAddress) {
        setChecksum(0);
        setChecksum(Checksum.finish(
                Checksum.transportSum(segment, offset, length, sourceAddress, destinationAddress, IpProtocol.TCP)));
    }
}
