package dev.libos.net.wire;

/** What {@link TcpRepr} and {@link MutableTcpHeader} share beyond {@link TcpHeader}'s defaults. */
final class TcpHeaders {
    private TcpHeaders() {
    }

    /** Throws {@link IllegalArgumentException} unless the fields make a valid header. */
    static void validate(int sourcePort, int destinationPort, int flags, int window, int urgentPointer,
                         TcpOptions options, int payloadLength) {
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

    /** The text both kinds show. */
    static String describe(String kind, TcpHeader h) {
        return kind + "[" + h.sourcePort() + " > " + h.destinationPort() + " " + TcpFlags.toString(h.flags())
                + " seq=" + Integer.toUnsignedString(h.sequenceNumber())
                + " ack=" + Integer.toUnsignedString(h.acknowledgementNumber()) + " win=" + h.window()
                + " urg=" + h.urgentPointer() + " " + h.options() + " payload=" + h.payloadLength() + "]";
    }

    /**
     * Writes the fixed header of {@code h} and {@code options} (with or without a timestamps
     * option given as numbers in place of the options' own) into {@code segment}, whose length
     * must be the header's length plus the payload's; leaves the checksum alone.
     */
    static void emitHeader(TcpHeader h, TcpSegment segment, TcpOptions options, boolean withTimestamps, int tsValue,
                           int tsEchoReply) {
        int headerLength = TcpDescriptor.MIN_HEADER_LENGTH + options.encodedLength(withTimestamps);
        if (segment.length() != headerLength + h.payloadLength()) {
            throw new IllegalArgumentException("TCP view length " + segment.length() + " != segment length "
                    + (headerLength + h.payloadLength()));
        }
        segment.setSourcePort(h.sourcePort());
        segment.setDestinationPort(h.destinationPort());
        segment.setSequenceNumber(h.sequenceNumber());
        segment.setAcknowledgementNumber(h.acknowledgementNumber());
        segment.putU8(TcpDescriptor.DATA_OFFSET_OFFSET, (headerLength / 4) << 4);
        segment.setFlags(h.flags());
        segment.setWindow(h.window());
        segment.setUrgentPointer(h.urgentPointer());
        options.emit(segment.segment(), segment.offset() + TcpDescriptor.MIN_HEADER_LENGTH, withTimestamps, tsValue,
                tsEchoReply);
    }
}
