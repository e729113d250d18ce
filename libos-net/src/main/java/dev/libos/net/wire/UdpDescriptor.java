package dev.libos.net.wire;

/**
 * Layout of the UDP header (RFC 768, "Format").
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 * </pre>
 * Length counts header and data. The checksum covers the IPv4 pseudo-header (source,
 * destination, zero, protocol 17, UDP length), the header and the data; zero means "no
 * checksum", so a computed zero is sent as 0xFFFF.
 */
public final class UdpDescriptor {
    /** Source port, 2 octets. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Destination port, 2 octets. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Length of header and data, 2 octets. */
    public static final int LENGTH_OFFSET = 4;
    /** Checksum, 2 octets. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Header length and offset of the data. */
    public static final int HEADER_LENGTH = 8;

    private UdpDescriptor() {
    }
}
