package dev.libos.net.ip.dhcp;

import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A DHCP message (RFC 2131 section 2, BOOTP layout of RFC 951, options of RFC 2132), only the
 * fields and options a client needs. Layout: op, htype, hlen, hops (1 byte each), xid (4),
 * secs (2), flags (2), ciaddr, yiaddr, siaddr, giaddr (4 each), chaddr (16), sname (64),
 * file (128), magic cookie 99.130.83.99, then options (code, length, value; 0 pad, 255 end).
 *
 * @param op               1 request (client to server), 2 reply
 * @param xid              transaction id chosen by the client
 * @param broadcast        the BROADCAST flag: the client cannot receive unicast before it has an address
 * @param clientAddress    ciaddr: the client's address when it already has one (renewing), else 0
 * @param yourAddress      yiaddr: the address offered or assigned
 * @param clientMac        chaddr
 * @param type             option 53, one of the {@code DISCOVER}... constants
 * @param requestedAddress option 50, or null
 * @param serverId         option 54, or null
 * @param leaseSeconds     option 51, or -1
 * @param renewalSeconds   option 58 (T1), or -1
 * @param rebindingSeconds option 59 (T2), or -1
 * @param prefixLength     option 1 as a prefix length, or -1
 * @param router           option 3 (first router), or null
 * @param dnsServers       option 6 (domain name servers, in order of preference), empty when absent
 */
public record DhcpMessage(int op, int xid, boolean broadcast, Ipv4Address clientAddress, Ipv4Address yourAddress,
                          MacAddress clientMac, int type, Ipv4Address requestedAddress, Ipv4Address serverId,
                          long leaseSeconds, long renewalSeconds, long rebindingSeconds, int prefixLength,
                          Ipv4Address router, List<Ipv4Address> dnsServers) {
    /** At most this many name servers are kept from option 6 (more would fill the option). */
    public static final int MAX_DNS_SERVERS = 8;

    public DhcpMessage {
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        if (dnsServers.size() > MAX_DNS_SERVERS) {
            throw new IllegalArgumentException("at most " + MAX_DNS_SERVERS + " DNS servers: " + dnsServers.size());
        }
    }

    /** A message without name servers. */
    public DhcpMessage(int op, int xid, boolean broadcast, Ipv4Address clientAddress, Ipv4Address yourAddress,
                       MacAddress clientMac, int type, Ipv4Address requestedAddress, Ipv4Address serverId,
                       long leaseSeconds, long renewalSeconds, long rebindingSeconds, int prefixLength,
                       Ipv4Address router) {
        this(op, xid, broadcast, clientAddress, yourAddress, clientMac, type, requestedAddress, serverId, leaseSeconds,
                renewalSeconds, rebindingSeconds, prefixLength, router, List.of());
    }

    /** DHCPDISCOVER. */
    public static final int DISCOVER = 1;
    /** DHCPOFFER. */
    public static final int OFFER = 2;
    /** DHCPREQUEST. */
    public static final int REQUEST = 3;
    /** DHCPACK. */
    public static final int ACK = 5;
    /** DHCPNAK. */
    public static final int NAK = 6;
    /** UDP port of servers. */
    public static final int SERVER_PORT = 67;
    /** UDP port of clients. */
    public static final int CLIENT_PORT = 68;

    private static final int MAGIC_COOKIE = 0x63825363;
    private static final int FIXED_LENGTH = 240;

    /** Encodes the message, padded to the 300 bytes of a BOOTP message as many servers expect. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(576);
        b.put((byte) op).put((byte) 1).put((byte) 6).put((byte) 0);
        b.putInt(xid).putShort((short) 0).putShort((short) (broadcast ? 0x8000 : 0));
        b.putInt(value(clientAddress)).putInt(value(yourAddress)).putInt(0).putInt(0);
        b.put(clientMac.toBytes()).position(FIXED_LENGTH - 4);
        b.putInt(MAGIC_COOKIE);
        b.put((byte) 53).put((byte) 1).put((byte) type);
        if (requestedAddress != null) {
            b.put((byte) 50).put((byte) 4).putInt(requestedAddress.value());
        }
        if (serverId != null) {
            b.put((byte) 54).put((byte) 4).putInt(serverId.value());
        }
        putSeconds(b, 51, leaseSeconds);
        putSeconds(b, 58, renewalSeconds);
        putSeconds(b, 59, rebindingSeconds);
        if (prefixLength >= 0) {
            b.put((byte) 1).put((byte) 4).putInt(prefixLength == 0 ? 0 : -1 << (32 - prefixLength));
        }
        if (router != null) {
            b.put((byte) 3).put((byte) 4).putInt(router.value());
        }
        if (!dnsServers.isEmpty()) {
            b.put((byte) 6).put((byte) (4 * dnsServers.size()));
            dnsServers.forEach(server -> b.putInt(server.value()));
        }
        if (op == 1) {
            // Parameter request list (option 55): subnet mask, router, name servers, lease time.
            b.put((byte) 55).put((byte) 4).put((byte) 1).put((byte) 3).put((byte) 6).put((byte) 51);
        }
        b.put((byte) 255);
        int length = Math.max(300, b.position());
        byte[] out = new byte[length];
        System.arraycopy(b.array(), 0, out, 0, b.position());
        return out;
    }

    /** Parses a message, or returns null when it is not a well-formed Ethernet DHCP message. */
    public static DhcpMessage parse(byte[] data) {
        if (data.length < FIXED_LENGTH) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int op = b.get(0) & 0xFF;
        if ((op != 1 && op != 2) || b.get(1) != 1 || b.get(2) != 6 || b.getInt(FIXED_LENGTH - 4) != MAGIC_COOKIE) {
            return null;
        }
        int xid = b.getInt(4);
        boolean broadcast = (b.getShort(10) & 0x8000) != 0;
        Ipv4Address ciaddr = new Ipv4Address(b.getInt(12));
        Ipv4Address yiaddr = new Ipv4Address(b.getInt(16));
        byte[] mac = new byte[6];
        b.get(28, mac);
        int type = -1;
        Ipv4Address requested = null;
        Ipv4Address server = null;
        Ipv4Address router = null;
        List<Ipv4Address> dns = new ArrayList<>();
        long lease = -1;
        long t1 = -1;
        long t2 = -1;
        int prefix = -1;
        int p = FIXED_LENGTH;
        while (p < data.length) {
            int code = data[p] & 0xFF;
            if (code == 255) {
                break;
            }
            if (code == 0) {
                p++;
                continue;
            }
            if (p + 1 >= data.length) {
                return null;
            }
            int length = data[p + 1] & 0xFF;
            int at = p + 2;
            if (at + length > data.length) {
                return null;
            }
            switch (code) {
                case 53 -> type = length == 1 ? data[at] & 0xFF : -1;
                case 50 -> requested = length == 4 ? new Ipv4Address(b.getInt(at)) : null;
                case 54 -> server = length == 4 ? new Ipv4Address(b.getInt(at)) : null;
                case 3 -> router = length >= 4 ? new Ipv4Address(b.getInt(at)) : null;
                case 6 -> {
                    // RFC 2132 section 3.8: a list of addresses, length a multiple of 4; extra servers are ignored.
                    dns.clear();
                    for (int i = 0; i + 4 <= length && length % 4 == 0 && dns.size() < MAX_DNS_SERVERS; i += 4) {
                        dns.add(new Ipv4Address(b.getInt(at + i)));
                    }
                }
                case 51 -> lease = length == 4 ? b.getInt(at) & 0xFFFF_FFFFL : -1;
                case 58 -> t1 = length == 4 ? b.getInt(at) & 0xFFFF_FFFFL : -1;
                case 59 -> t2 = length == 4 ? b.getInt(at) & 0xFFFF_FFFFL : -1;
                case 1 -> prefix = length == 4 ? prefixOf(b.getInt(at)) : -1;
                default -> {
                    // not needed by this client
                }
            }
            p = at + length;
        }
        if (type < 1) {
            return null;
        }
        return new DhcpMessage(op, xid, broadcast, ciaddr, yiaddr, MacAddress.of(mac), type, requested, server,
                lease, t1, t2, prefix, router, dns);
    }

    private static int prefixOf(int mask) {
        int prefix = Integer.bitCount(mask);
        return mask == (prefix == 0 ? 0 : -1 << (32 - prefix)) ? prefix : -1; // a mask must be contiguous
    }

    private static int value(Ipv4Address address) {
        return address == null ? 0 : address.value();
    }

    private static void putSeconds(ByteBuffer b, int code, long seconds) {
        if (seconds >= 0) {
            b.put((byte) code).put((byte) 4).putInt((int) seconds);
        }
    }
}
