package dev.libos.net.wire;

/** EtherType values (IEEE 802 numbers registry) used by the stack. */
public final class EtherType {
    /** Internet Protocol version 4. */
    public static final int IPV4 = 0x0800;
    /** Address Resolution Protocol. */
    public static final int ARP = 0x0806;
    /** IEEE 802.1Q VLAN tag (not handled yet). */
    public static final int VLAN = 0x8100;
    /** Internet Protocol version 6 (not handled yet). */
    public static final int IPV6 = 0x86DD;
    /** Values below this are IEEE 802.3 length fields, not EtherTypes. */
    public static final int MINIMUM = 0x0600;

    private EtherType() {
    }
}
