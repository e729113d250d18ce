package dev.libos.net.wire;

/**
 * Layout of an ARP packet for Ethernet and IPv4 (RFC 826, "Packet format"). The address
 * offsets below hold only for hardware length 6 and protocol length 4, which
 * {@link ArpPacket#check} enforces before any of them is read.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Hardware type (ar$hrd)    |     Protocol type (ar$pro)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | HW len (ar$hln)|Proto len(ar$pln)|       Operation (ar$op)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Sender hardware address (ar$sha, 6)              |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               | Sender protocol address (spa) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   (spa, continued)            |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |              Target hardware address (ar$tha, 6)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Target protocol address (ar$tpa, 4)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpDescriptor {
    /** Hardware type, 2 octets. */
    public static final int HARDWARE_TYPE_OFFSET = 0;
    /** Protocol type, 2 octets. */
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    /** Hardware address length, 1 octet. */
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    /** Protocol address length, 1 octet. */
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    /** Operation, 2 octets. */
    public static final int OPERATION_OFFSET = 6;
    /** Length of the fields before the addresses. */
    public static final int FIXED_LENGTH = 8;
    /** Sender hardware address, 6 octets. */
    public static final int SENDER_HARDWARE_ADDRESS_OFFSET = 8;
    /** Sender protocol address, 4 octets. */
    public static final int SENDER_PROTOCOL_ADDRESS_OFFSET = 14;
    /** Target hardware address, 6 octets. */
    public static final int TARGET_HARDWARE_ADDRESS_OFFSET = 18;
    /** Target protocol address, 4 octets. */
    public static final int TARGET_PROTOCOL_ADDRESS_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int PACKET_LENGTH = 28;
    /** Hardware type of Ethernet (ares_hrd$Ethernet). */
    public static final int HARDWARE_TYPE_ETHERNET = 1;
    /** Length of an Ethernet address. */
    public static final int ETHERNET_ADDRESS_LENGTH = 6;
    /** Length of an IPv4 address. */
    public static final int IPV4_ADDRESS_LENGTH = 4;

    private ArpDescriptor() {
    }
}
