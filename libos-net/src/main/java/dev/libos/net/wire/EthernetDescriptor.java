package dev.libos.net.wire;

/**
 * Layout of the Ethernet II header (IEEE 802.3 clause 3 with an EtherType, RFC 894). The
 * preamble and the frame check sequence are handled by the device and never seen here.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Destination MAC address (6 octets)            |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                   Source MAC address (6 octets)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          EtherType            |  Payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class EthernetDescriptor {
    /** Destination MAC address, 6 octets. */
    public static final int DESTINATION_OFFSET = 0;
    /** Source MAC address, 6 octets. */
    public static final int SOURCE_OFFSET = 6;
    /** EtherType, 2 octets. */
    public static final int ETHER_TYPE_OFFSET = 12;
    /** Header length and offset of the payload. */
    public static final int HEADER_LENGTH = 14;
    /** Smallest frame on the wire without FCS (60 octets): shorter frames are padded by the sender. */
    public static final int MINIMUM_FRAME_LENGTH = 60;

    private EthernetDescriptor() {
    }
}
