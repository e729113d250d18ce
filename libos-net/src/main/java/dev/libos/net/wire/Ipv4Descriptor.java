package dev.libos.net.wire;

/**
 * Layout of the IPv4 header (RFC 791 section 3.1; the type-of-service octet as DSCP and ECN per
 * RFC 2474 and RFC 3168).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |R|D|M|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL*4 - 20 octets)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * R: reserved, must be zero; D: don't fragment; M: more fragments.
 * </pre>
 */
public final class Ipv4Descriptor {
    /** Version (high nibble) and IHL in 32-bit words (low nibble), 1 octet. */
    public static final int VERSION_IHL_OFFSET = 0;
    /** DSCP (high 6 bits) and ECN (low 2 bits), 1 octet. */
    public static final int DSCP_ECN_OFFSET = 1;
    /** Total length of header and data in octets, 2 octets. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Identification, 2 octets. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Flags (high 3 bits) and fragment offset in 8-octet units (low 13 bits), 2 octets. */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    /** Time to live, 1 octet. */
    public static final int TTL_OFFSET = 8;
    /** Protocol, 1 octet. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Header checksum, 2 octets. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Source address, 4 octets. */
    public static final int SOURCE_OFFSET = 12;
    /** Destination address, 4 octets. */
    public static final int DESTINATION_OFFSET = 16;
    /** Length of a header without options, and offset of the options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Longest header: IHL 15 words. */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Longest datagram: the total length field is 16 bits. */
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;
    /** The only version handled here. */
    public static final int VERSION = 4;
    /** Reserved flag bit in the flags/fragment word. */
    public static final int FLAG_RESERVED = 0x8000;
    /** Don't fragment flag in the flags/fragment word. */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    /** More fragments flag in the flags/fragment word. */
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    /** Fragment offset mask in the flags/fragment word (units of 8 octets). */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private Ipv4Descriptor() {
    }
}
