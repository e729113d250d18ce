package dev.libos.net.wire;

import java.util.List;

/**
 * A parsed TCP header (RFC 9293 section 3.1) with its options, read-only: either a {@link
 * TcpRepr} (immutable, safe to keep) or a {@link MutableTcpHeader} (reused by its owner for
 * every segment, so valid only during the call that hands it out). Code that keeps a header
 * beyond the call keeps {@link #toRepr()}.
 *
 * <p>Why two kinds: a record per segment received and sent was most of what the stack
 * allocated per TCP round trip (issue 11); the receive path and each connection fill one
 * reused header instead, and tests and rare paths (RSTs, SYN cookies) build records.
 */
public sealed interface TcpHeader permits TcpRepr, MutableTcpHeader {
    /** 0 to 65535. */
    int sourcePort();

    /** 0 to 65535. */
    int destinationPort();

    /** 32-bit sequence number. */
    int sequenceNumber();

    /** 32-bit acknowledgment number. */
    int acknowledgementNumber();

    /** Control bits, see {@link TcpFlags}. */
    int flags();

    /** Window field, unscaled, 0 to 65535. */
    int window();

    /** 0 to 65535. */
    int urgentPointer();

    /**
     * The options (never null; {@link TcpOptions#NONE} for none); immutable. A {@link
     * MutableTcpHeader} whose timestamps are carried as numbers makes an instance here: the
     * per-segment paths read {@link #hasTimestamps()}, {@link #timestampValue()} and {@link
     * #sackBlocks()} instead.
     */
    TcpOptions options();

    /** Whether the segment carries the timestamps option (RFC 7323 section 3.2). */
    default boolean hasTimestamps() {
        return options().timestamps() != null;
    }

    /** TSval of the timestamps option; 0 without one. */
    default int timestampValue() {
        TcpTimestamps ts = options().timestamps();
        return ts == null ? 0 : ts.value();
    }

    /** TSecr of the timestamps option; 0 without one. */
    default int timestampEchoReply() {
        TcpTimestamps ts = options().timestamps();
        return ts == null ? 0 : ts.echoReply();
    }

    /** The SACK blocks (RFC 2018), empty for none; immutable. */
    default List<SackBlock> sackBlocks() {
        return options().sackBlocks();
    }

    /** Data length. */
    int payloadLength();

    /** This header as an immutable record (itself when it is one). */
    TcpRepr toRepr();

    /** Header length: 20 plus the encoded options. */
    default int headerLength() {
        return TcpDescriptor.MIN_HEADER_LENGTH + options().encodedLength();
    }

    /** Header plus data: the segment length. */
    default int bufferLength() {
        return headerLength() + payloadLength();
    }

    /** Sequence space this segment occupies: data plus one for each of SYN and FIN (RFC 9293 section 3.4). */
    default int segmentLength() {
        int flags = flags();
        return payloadLength() + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    /**
     * Writes header and options into {@code segment}, then the checksum over pseudo-header and
     * the whole view; the view's length must be {@link #bufferLength()} and the data must already
     * be in place at {@link #headerLength()} (or call {@link TcpSegment#fillChecksum} after).
     */
    default void emit(TcpSegment segment, Ipv4Address source, Ipv4Address destination) {
        emitHeader(segment);
        segment.fillChecksum(source.value(), destination.value());
    }

    /**
     * Writes header and options into {@code segment} and leaves the checksum field alone: for a
     * segment whose checksum the device completes (transmit checksum offload).
     */
    void emitHeader(TcpSegment segment);
}
