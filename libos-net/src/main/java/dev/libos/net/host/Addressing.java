package dev.libos.net.host;

import dev.libos.net.ip.Ipv4Subnet;
import dev.libos.net.wire.Ipv4Address;

/** How an interface gets its IPv4 address: fixed, or leased by DHCP (RFC 2131). */
public sealed interface Addressing {
    /** Asks a DHCP server for address, prefix, router and name servers. */
    static Addressing dhcp() {
        return Dhcp.INSTANCE;
    }

    /** A fixed address; {@code gateway} (null for none) becomes the default route. */
    static Addressing fixed(Ipv4Address address, int prefixLength, Ipv4Address gateway) {
        return new Fixed(address, prefixLength, gateway);
    }

    /** DHCP. */
    enum Dhcp implements Addressing { INSTANCE }

    /** A fixed address. */
    record Fixed(Ipv4Address address, int prefixLength, Ipv4Address gateway) implements Addressing {
        public Fixed {
            if (address == null || address.value() == 0) {
                throw new IllegalArgumentException("address must be a host address: " + address);
            }
            if (prefixLength < 1 || prefixLength > 32) {
                throw new IllegalArgumentException("prefix length must be 1-32: " + prefixLength);
            }
            if (gateway != null && prefixLength < 31
                    && !new Ipv4Subnet(address, prefixLength).contains(gateway)) {
                throw new IllegalArgumentException("gateway " + gateway + " is not on " + address + "/" + prefixLength);
            }
        }
    }
}
