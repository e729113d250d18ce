package dev.libos.net.wire;

/**
 * A parsed IPv4 header (RFC 791), read-only: either an {@link Ipv4Repr} (immutable, safe to
 * keep) or a {@link MutableIpv4Header} (the {@link FrameParser}'s, filled again for every
 * datagram, so valid only during the call that hands it out). Code that keeps a header beyond
 * the call (reassembly keeps a first fragment's) keeps {@link #toRepr()}.
 */
public sealed interface Ipv4Header permits Ipv4Repr, MutableIpv4Header {
    /** Differentiated services code point, 0 to 63. */
    int dscp();

    /** Explicit congestion notification, 0 to 3. */
    int ecn();

    /** 0 to 65535. */
    int identification();

    /** DF flag. */
    boolean dontFragment();

    /** MF flag. */
    boolean moreFragments();

    /** Fragment offset in bytes, a multiple of 8. */
    int fragmentOffsetBytes();

    /** 0 to 255. */
    int timeToLive();

    /** Protocol of the payload, 0 to 255. */
    int protocol();

    /** Source address. */
    Ipv4Address source();

    /** Destination address. */
    Ipv4Address destination();

    /** The option bytes (a copy), a multiple of 4 up to 40 bytes. */
    byte[] options();

    /** Bytes after the header. */
    int payloadLength();

    /** Header length in bytes: 20 plus the options. */
    int headerLength();

    /** This header as an immutable record (itself when it is one). */
    Ipv4Repr toRepr();

    /** Total length: header plus payload. */
    default int bufferLength() {
        return headerLength() + payloadLength();
    }

    /** True for a fragment of a larger datagram (MF set or a non-zero offset, RFC 791 section 3.2). */
    default boolean isFragment() {
        return moreFragments() || fragmentOffsetBytes() != 0;
    }

    /**
     * Writes the header, with its checksum, into {@code packet}, which must be at least
     * {@link #bufferLength()} long. The payload bytes are not touched.
     */
    default void emit(Ipv4Packet packet) {
        toRepr().emit(packet);
    }
}
