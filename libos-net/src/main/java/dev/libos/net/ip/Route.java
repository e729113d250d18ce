package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Address;

/**
 * One entry of the routing table.
 *
 * @param destination the prefix this route covers
 * @param gateway     the next hop, or null when the destination is on the interface's link
 * @param iface       the interface to send on
 */
public record Route(Ipv4Subnet destination, Ipv4Address gateway, NetInterface iface) {
    /** Validates the fields. */
    public Route {
        if (destination == null || iface == null) {
            throw new IllegalArgumentException("destination and iface must not be null: " + destination + ", " + iface);
        }
    }

    /** The next hop for {@code address}: the gateway, or the address itself on link. */
    public Ipv4Address nextHop(Ipv4Address address) {
        return gateway == null ? address : gateway;
    }
}
