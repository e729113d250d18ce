package dev.libos.net.wire;

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

    /** The options (never null; {@link TcpOptions#NONE} for none); immutable. */
    TcpOptions options();

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
    default void emitHeader(TcpSegment segment) {
        int headerLength = headerLength();
        if (segment.length() != headerLength + payloadLength()) {
            throw new IllegalArgumentException("TCP view length " + segment.length() + " != segment length "
                    + (headerLength + payloadLength()));
        }
        segment.setSourcePort(sourcePort());
        segment.setDestinationPort(destinationPort());
        segment.setSequenceNumber(sequenceNumber());
        segment.setAcknowledgementNumber(acknowledgementNumber());
        segment.putU8(TcpDescriptor.DATA_OFFSET_OFFSET, (headerLength / 4) << 4);
        segment.setFlags(flags());
        segment.setWindow(window());
        segment.setUrgentPointer(urgentPointer());
        options().emit(segment.segment(), segment.offset() + TcpDescriptor.MIN_HEADER_LENGTH);
    }
}
