package dev.libos.net.wire;

import java.util.List;

/**
 * A TCP header that its owner fills again for every segment: the {@link FrameParser} for each
 * segment it parses, a connection for each segment it sends. Handed out for the length of one
 * call and overwritten by the next segment, so whoever keeps a header keeps {@link #toRepr()}.
 * Equality is identity (it is a buffer, not a value). Owned by one thread.
 *
 * <p>The timestamps option (RFC 7323) changes with every tick of the sender's clock, so it is
 * held here as numbers beside options that a flow's segments share ({@link #setTimestamps}):
 * filling a header allocates nothing even when every segment carries new timestamps. Only
 * {@link #options()} and {@link #toRepr()} make objects, for the paths that keep them.
 */
public final class MutableTcpHeader implements TcpHeader {
    private int sourcePort;
    private int destinationPort;
    private int sequenceNumber;
    private int acknowledgementNumber;
    private int flags;
    private int window;
    private int urgentPointer;
    /** The options; when {@link #separateTimestamps}, without timestamps (they are the two ints). */
    private TcpOptions options = TcpOptions.NONE;
    private boolean separateTimestamps;
    private int timestampValue;
    private int timestampEchoReply;
    private int payloadLength;

    /**
     * Sets every field, validated as {@link TcpRepr}'s constructor does (a field out of range
     * is {@link IllegalArgumentException} and leaves the header as it was); the options are
     * {@code options}, timestamps included, until {@link #setTimestamps}.
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
        this.separateTimestamps = false;
        this.payloadLength = payloadLength;
        return this;
    }

    /**
     * Adds a timestamps option (TSval {@code value}, TSecr {@code echoReply}) to options set
     * without one; {@link IllegalArgumentException} if they have one or it would not fit the
     * 40 option bytes.
     *
     * @return this header
     */
    public MutableTcpHeader setTimestamps(int value, int echoReply) {
        if (options.timestamps() != null || separateTimestamps) {
            throw new IllegalArgumentException("the options have timestamps already: " + this);
        }
        if (!options.fitWithTimestamps()) {
            throw new IllegalArgumentException("no room for timestamps beside " + options);
        }
        separateTimestamps = true;
        timestampValue = value;
        timestampEchoReply = echoReply;
        return this;
    }

    /**
     * Sets the fields from a segment that passed {@link TcpSegment#check}, its timestamps as
     * numbers and its other options as {@code previousOptions} when equal to them.
     *
     * @return the options besides the timestamps, to pass as {@code previousOptions} next time
     */
    TcpOptions set(TcpSegment segment, TcpOptions previousOptions) {
        TcpOptions besideTimestamps = segment.parseOptions(previousOptions, this); // sets the timestamps
        boolean parsedTimestamps = separateTimestamps;
        set(segment.sourcePort(), segment.destinationPort(), segment.sequenceNumber(),
                segment.acknowledgementNumber(), segment.flags(), segment.window(), segment.urgentPointer(),
                besideTimestamps, segment.payloadLength());
        separateTimestamps = parsedTimestamps;
        return besideTimestamps;
    }

    /** The timestamps parsed from a segment's options (any values: they fit, they were on the wire). */
    void setParsedTimestamps(boolean present, int value, int echoReply) {
        separateTimestamps = present;
        timestampValue = value;
        timestampEchoReply = echoReply;
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

    /** {@inheritDoc} Makes a new instance when the timestamps are held as numbers. */
    @Override
    public TcpOptions options() {
        return separateTimestamps
                ? options.withTimestamps(new TcpTimestamps(timestampValue, timestampEchoReply)) : options;
    }

    @Override
    public boolean hasTimestamps() {
        return separateTimestamps || options.timestamps() != null;
    }

    @Override
    public int timestampValue() {
        return separateTimestamps ? timestampValue : TcpHeader.super.timestampValue();
    }

    @Override
    public int timestampEchoReply() {
        return separateTimestamps ? timestampEchoReply : TcpHeader.super.timestampEchoReply();
    }

    @Override
    public List<SackBlock> sackBlocks() {
        return options.sackBlocks();
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public int headerLength() {
        return TcpDescriptor.MIN_HEADER_LENGTH + options.encodedLength(hasTimestamps());
    }

    @Override
    public void emitHeader(TcpSegment segment) {
        TcpHeaders.emitHeader(this, segment, options, hasTimestamps(), timestampValue(), timestampEchoReply());
    }

    @Override
    public TcpRepr toRepr() {
        return new TcpRepr(sourcePort, destinationPort, sequenceNumber, acknowledgementNumber, flags, window,
                urgentPointer, options(), payloadLength);
    }

    @Override
    public String toString() {
        return TcpHeaders.describe("MutableTcpHeader", this);
    }
}
