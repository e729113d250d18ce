package dev.libos.net.wire;

/**
 * Layout of the TCP header (RFC 9293 section 3.1) and of its options (RFC 9293 section 3.2;
 * window scale and timestamps RFC 7323 sections 2.2 and 3.2; SACK RFC 2018 sections 2 and 3).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Options (Data Offset*4 - 20)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Options: kind 0 (EOL) and 1 (NOP) are one octet; all others are kind, length (counting both
 * octets), value:
 *   MSS            kind 2, length 4:  16-bit maximum segment size
 *   Window scale   kind 3, length 3:  8-bit shift count
 *   SACK permitted kind 4, length 2
 *   SACK           kind 5, length 2+8n (n = 1..4): n pairs of 32-bit left edge, right edge
 *   Timestamps     kind 8, length 10: 32-bit TSval, 32-bit TSecr
 * </pre>
 * The checksum covers the IPv4 pseudo-header (source, destination, zero, protocol 6, TCP
 * length), the header and the data.
 */
public final class TcpDescriptor {
    /** Source port, 2 octets. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Destination port, 2 octets. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Sequence number, 4 octets. */
    public static final int SEQUENCE_OFFSET = 4;
    /** Acknowledgment number, 4 octets. */
    public static final int ACKNOWLEDGEMENT_OFFSET = 8;
    /** Data offset in 32-bit words (high nibble) and reserved bits (low nibble), 1 octet. */
    public static final int DATA_OFFSET_OFFSET = 12;
    /** Control bits, 1 octet; see {@link TcpFlags}. */
    public static final int FLAGS_OFFSET = 13;
    /** Window, 2 octets. */
    public static final int WINDOW_OFFSET = 14;
    /** Checksum, 2 octets. */
    public static final int CHECKSUM_OFFSET = 16;
    /** Urgent pointer, 2 octets. */
    public static final int URGENT_POINTER_OFFSET = 18;
    /** Length of a header without options, and offset of the options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Longest header: data offset 15 words. */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Most option bytes a header can carry. */
    public static final int MAX_OPTIONS_LENGTH = MAX_HEADER_LENGTH - MIN_HEADER_LENGTH;

    /** Option kind: end of option list. */
    public static final int OPTION_END = 0;
    /** Option kind: no operation (padding). */
    public static final int OPTION_NOP = 1;
    /** Option kind: maximum segment size. */
    public static final int OPTION_MSS = 2;
    /** Option kind: window scale. */
    public static final int OPTION_WINDOW_SCALE = 3;
    /** Option kind: SACK permitted. */
    public static final int OPTION_SACK_PERMITTED = 4;
    /** Option kind: SACK blocks. */
    public static final int OPTION_SACK = 5;
    /** Option kind: timestamps. */
    public static final int OPTION_TIMESTAMPS = 8;
    /** Length of the MSS option. */
    public static final int OPTION_MSS_LENGTH = 4;
    /** Length of the window scale option. */
    public static final int OPTION_WINDOW_SCALE_LENGTH = 3;
    /** Length of the SACK permitted option. */
    public static final int OPTION_SACK_PERMITTED_LENGTH = 2;
    /** Length of one SACK block (left and right edge). */
    public static final int SACK_BLOCK_LENGTH = 8;
    /** Most SACK blocks an option can carry (RFC 2018 section 3: 40 option bytes). */
    public static final int MAX_SACK_BLOCKS = 4;
    /** Length of the timestamps option. */
    public static final int OPTION_TIMESTAMPS_LENGTH = 10;

    private TcpDescriptor() {
    }
}
