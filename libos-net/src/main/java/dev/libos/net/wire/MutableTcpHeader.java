package dev.libos.net.wire;

/**
 * A TCP header that its owner fills again for every segment: the {@link FrameParser} for each
 * segment it parses, a connection for each segment it sends. Handed out for the length of one
 * call and overwritten by the next segment, so whoever keeps a header keeps {@link #toRepr()}.
 * Equality is identity (it is a buffer, not a value). Owned by one thread.
 */
public final class MutableTcpHeader implements TcpHeader {
    private int sourcePort;
    private int destinationPort;
    private int sequenceNumber;
    private int acknowledgementNumber;
    private int flags;
    private int window;
    private int urgentPointer;
    private TcpOptions options = TcpOptions.NONE;
    private int payloadLength;

    /**
     * Sets every field, validated as {@link TcpRepr}'s constructor does (a field out of range
     * is {@link IllegalArgumentException} and leaves the header as it was).
     *
     * @return this header
     */
    public MutableTcpHeader set(int sourcePort, int destinationPort, int sequenceNumber, int acknowledgementNumber,
                                int flags, int window, int urgentPointer, TcpOptions options, int payloadLength) {
        TcpHeaders.validate(sourcePort, destinationPort, flags, window, urgentPointer, options, payloadLength);
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.sequenceNumber = sequenceNumber;
        this.acknowledgementNumber = acknowledgementNumber;
        this.flags = flags;
        this.window = window;
        this.urgentPointer = urgentPointer;
        this.options = options;
        this.payloadLength = payloadLength;
        return this;
    }

    /** Sets the fields from a segment that passed {@link TcpSegment#check}, with its options parsed already. */
    MutableTcpHeader set(TcpSegment segment, TcpOptions parsedOptions) {
        return set(segment.sourcePort(), segment.destinationPort(), segment.sequenceNumber(),
                segment.acknowledgementNumber(), segment.flags(), segment.window(), segment.urgentPointer(),
                parsedOptions, segment.payloadLength());
    }

    @Override
    public int sourcePort() {
        return sourcePort;
    }

    @Override
    public int destinationPort() {
        return destinationPort;
    }

    @Override
    public int sequenceNumber() {
        return sequenceNumber;
    }

    @Override
    public int acknowledgementNumber() {
        return acknowledgementNumber;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public int window() {
        return window;
    }

    @Override
    public int urgentPointer() {
        return urgentPointer;
    }

    @Override
    public TcpOptions options() {
        return options;
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public TcpRepr toRepr() {
        return new TcpRepr(sourcePort, destinationPort, sequenceNumber, acknowledgementNumber, flags, window,
                urgentPointer, options, payloadLength);
    }

    @Override
    public String toString() {
        return TcpHeaders.describe("MutableTcpHeader", this);
    }
}
