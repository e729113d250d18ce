package dev.libos.net.wire;

/**
 * A parsed TCP header (RFC 9293 section 3.1) with its options. The reserved bits are not
 * represented: zero on send, ignored on receipt.
 *
 * @param sourcePort            0 to 65535
 * @param destinationPort       0 to 65535
 * @param sequenceNumber        32-bit sequence number
 * @param acknowledgementNumber 32-bit acknowledgment number
 * @param flags                 control bits, see {@link TcpFlags}
 * @param window                window field, unscaled, 0 to 65535
 * @param urgentPointer         0 to 65535
 * @param options               the options (never null; {@link TcpOptions#NONE} for none)
 * @param payloadLength         data length
 */
public record TcpRepr(int sourcePort, int destinationPort, int sequenceNumber, int acknowledgementNumber,
                      int flags, int window, int urgentPointer, TcpOptions options, int payloadLength) {
    /** Validates the fields. */
    public TcpRepr {
        Bytes.requireU16("sourcePort", sourcePort);
        Bytes.requireU16("destinationPort", destinationPort);
        Bytes.requireU8("flags", flags);
        Bytes.requireU16("window", window);
        Bytes.requireU16("urgentPointer", urgentPointer);
        if (options == null) {
            throw new IllegalArgumentException("options must not be null (use TcpOptions.NONE)");
        }
        // TCP has no length field; the IPv4 total length (checked by Ipv4Repr) is the real bound.
        Bytes.requireRange("payloadLength", payloadLength, 0, 0xFFFF - TcpDescriptor.MIN_HEADER_LENGTH);
    }

    /** Parses a segment that passed {@link TcpSegment#check}. */
    public static TcpRepr parse(TcpSegment segment) {
        return parse(segment, segment.parseOptions());
    }

    /** Parses with the options given (parsed from {@code segment} already). */
    static TcpRepr parse(TcpSegment segment, TcpOptions options) {
        return new TcpRepr(segment.sourcePort(), segment.destinationPort(), segment.sequenceNumber(),
                segment.acknowledgementNumber(), segment.flags(), segment.window(), segment.urgentPointer(),
                options, segment.payloadLength());
    }

    /** Header length: 20 plus the encoded options. */
    public int headerLength() {
        return TcpDescriptor.MIN_HEADER_LENGTH + options.encodedLength();
    }

    /** Header plus data: the segment length. */
    public int bufferLength() {
        return headerLength() + payloadLength;
    }

    /** Sequence space this segment occupies: data plus one for each of SYN and FIN (RFC 9293 section 3.4). */
    public int segmentLength() {
        return payloadLength + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    /**
     * Writes header and options into {@code segment}, then the checksum over pseudo-header and
     * the whole view; the view's length must be {@link #bufferLength()} and the data must already
     * be in place at {@link #headerLength()} (or call {@link TcpSegment#fillChecksum} after).
     */
    public void emit(TcpSegment segment, Ipv4Address source, Ipv4Address destination) {
        emitHeader(segment);
        segment.fillChecksum(source.value(), destination.value());
    }

    /**
     * Writes header and options into {@code segment} and leaves the checksum field alone: for a
     * segment whose checksum the device completes (transmit checksum offload).
     */
    public void emitHeader(TcpSegment segment) {
        if (segment.length() != bufferLength()) {
            throw new IllegalArgumentException("TCP view length " + segment.length() + " != segment length "
                    + bufferLength());
        }
        segment.setSourcePort(sourcePort);
        segment.setDestinationPort(destinationPort);
        segment.setSequenceNumber(sequenceNumber);
        segment.setAcknowledgementNumber(acknowledgementNumber);
        segment.putU8(TcpDescriptor.DATA_OFFSET_OFFSET, (headerLength() / 4) << 4);
        segment.setFlags(flags);
        segment.setWindow(window);
        segment.setUrgentPointer(urgentPointer);
        options.emit(segment.segment(), segment.offset() + TcpDescriptor.MIN_HEADER_LENGTH);
    }

    @Override
    public String toString() {
        return "TcpRepr[" + sourcePort + " > " + destinationPort + " " + TcpFlags.toString(flags) + " seq="
                + Integer.toUnsignedString(sequenceNumber) + " ack=" + Integer.toUnsignedString(acknowledgementNumber)
                + " win=" + window + " urg=" + urgentPointer + " " + options + " payload=" + payloadLength + "]";
    }
}
