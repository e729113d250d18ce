package dev.libos.net.wire;

/**
 * A parsed TCP header (RFC 9293 section 3.1) with its options, immutable (see {@link TcpHeader}
 * for the reused kind). The reserved bits are not
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
                      int flags, int window, int urgentPointer, TcpOptions options, int payloadLength)
        implements TcpHeader {
    /** Validates the fields. */
    public TcpRepr {
        TcpHeaders.validate(sourcePort, destinationPort, flags, window, urgentPointer, options, payloadLength);
    }

    /** Parses a segment that passed {@link TcpSegment#check}. */
    public static TcpRepr parse(TcpSegment segment) {
        return new TcpRepr(segment.sourcePort(), segment.destinationPort(), segment.sequenceNumber(),
                segment.acknowledgementNumber(), segment.flags(), segment.window(), segment.urgentPointer(),
                segment.parseOptions(), segment.payloadLength());
    }

    @Override
    public void emitHeader(TcpSegment segment) {
        TcpTimestamps ts = options.timestamps();
        TcpHeaders.emitHeader(this, segment, options, ts != null, ts != null ? ts.value() : 0,
                ts != null ? ts.echoReply() : 0);
    }

    /** Itself: a record is immutable already. */
    @Override
    public TcpRepr toRepr() {
        return this;
    }

    @Override
    public String toString() {
        return TcpHeaders.describe("TcpRepr", this);
    }
}
