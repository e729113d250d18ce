package dev.libos.net.wire;

/**
 * A parsed Ethernet/IPv4 ARP packet (RFC 826).
 *
 * @param operation request or reply
 * @param senderMac sender hardware address
 * @param senderIp  sender protocol address
 * @param targetMac target hardware address (zero in a request)
 * @param targetIp  target protocol address
 */
public record ArpRepr(ArpOperation operation, MacAddress senderMac, Ipv4Address senderIp,
                      MacAddress targetMac, Ipv4Address targetIp) {
    /** Validates the fields. */
    public ArpRepr {
        if (operation == null || senderMac == null || senderIp == null || targetMac == null || targetIp == null) {
            throw new IllegalArgumentException("no ARP field may be null: " + operation + ", " + senderMac
                    + ", " + senderIp + ", " + targetMac + ", " + targetIp);
        }
    }

    /** Parses a packet that passed {@link ArpPacket#check}. */
    public static ArpRepr parse(ArpPacket packet) {
        return new ArpRepr(ArpOperation.ofCode(packet.operation()),
                new MacAddress(packet.senderHardwareAddress()), new Ipv4Address(packet.senderProtocolAddress()),
                new MacAddress(packet.targetHardwareAddress()), new Ipv4Address(packet.targetProtocolAddress()));
    }

    /** Writes every field into {@code packet}, which must be at least {@link #bufferLength()} long. */
    public void emit(ArpPacket packet) {
        if (packet.length() < bufferLength()) {
            throw new IllegalArgumentException("packet too short for ARP: " + packet.length());
        }
        packet.setHardwareType(ArpDescriptor.HARDWARE_TYPE_ETHERNET);
        packet.setProtocolType(EtherType.IPV4);
        packet.setHardwareLength(ArpDescriptor.ETHERNET_ADDRESS_LENGTH);
        packet.setProtocolLength(ArpDescriptor.IPV4_ADDRESS_LENGTH);
        packet.setOperation(operation.code());
        packet.setSenderHardwareAddress(senderMac.value());
        packet.setSenderProtocolAddress(senderIp.value());
        packet.setTargetHardwareAddress(targetMac.value());
        packet.setTargetProtocolAddress(targetIp.value());
    }

    /** The packet length, 28 bytes. */
    public int bufferLength() {
        return ArpDescriptor.PACKET_LENGTH;
    }
}
