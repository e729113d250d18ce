package dev.libos.net.wire;

/**
 * Layout of the ICMP header (RFC 792). The second word depends on the type: identifier and
 * sequence number for echo and echo reply; unused (with the next-hop MTU in its low half for
 * "fragmentation needed", RFC 1191 section 4) for destination unreachable; unused for time
 * exceeded. The data of an error message is the original datagram's IP header and at least its
 * first 64 bits of data.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  (echo, echo reply)
 * |            unused             |         Next-Hop MTU          |  (unreachable)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 * </pre>
 * The checksum covers the whole ICMP message, header and data.
 */
public final class IcmpDescriptor {
    /** Type, 1 octet. */
    public static final int TYPE_OFFSET = 0;
    /** Code, 1 octet. */
    public static final int CODE_OFFSET = 1;
    /** Checksum, 2 octets. */
    public static final int CHECKSUM_OFFSET = 2;
    /** The type-specific second word ("rest of header"), 4 octets. */
    public static final int REST_OF_HEADER_OFFSET = 4;
    /** Echo identifier, 2 octets. */
    public static final int IDENTIFIER_OFFSET = 4;
    /** Echo sequence number, 2 octets. */
    public static final int SEQUENCE_OFFSET = 6;
    /** Next-hop MTU of "fragmentation needed", 2 octets (RFC 1191). */
    public static final int NEXT_HOP_MTU_OFFSET = 6;
    /** Header length and offset of the data. */
    public static final int HEADER_LENGTH = 8;

    /** Echo reply. */
    public static final int TYPE_ECHO_REPLY = 0;
    /** Destination unreachable. */
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    /** Echo request. */
    public static final int TYPE_ECHO_REQUEST = 8;
    /** Time exceeded. */
    public static final int TYPE_TIME_EXCEEDED = 11;

    /** Destination unreachable code: protocol unreachable. */
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    /** Destination unreachable code: port unreachable. */
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Destination unreachable code: fragmentation needed and DF set. */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    /** Time exceeded code: TTL exceeded in transit. */
    public static final int CODE_TTL_EXCEEDED = 0;
    /** Time exceeded code: fragment reassembly time exceeded. */
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    private IcmpDescriptor() {
    }
}
