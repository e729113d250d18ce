package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 routes chosen by longest prefix match (RFC 1812 5.2.4.3); among routes of equal length
 * the one added first wins. A default route is the prefix 0.0.0.0/0. The table is small (a host
 * has a few routes), so lookup scans a list kept sorted by prefix length, longest first.
 * Owned by the stack's thread.
 */
public final class RoutingTable {
    private final List<Route> routes = new ArrayList<>();

    /** Adds {@code route}. */
    public void add(Route route) {
        int i = 0;
        while (i < routes.size() && routes.get(i).destination().prefixLength() >= route.destination().prefixLength()) {
            i++;
        }
        routes.add(i, route);
    }

    /** Removes every route through {@code iface}. */
    public void removeAll(NetInterface iface) {
        routes.removeIf(r -> r.iface() == iface);
    }

    /** Removes every route for exactly {@code destination}. */
    public void remove(Ipv4Subnet destination) {
        routes.removeIf(r -> r.destination().equals(destination));
    }

    /** The route for {@code address}, or null when none covers it. */
    public Route lookup(Ipv4Address address) {
        for (int i = 0; i < routes.size(); i++) { // indexed: no iterator per datagram sent
            Route route = routes.get(i);
            if (route.destination().contains(address)) {
                return route;
            }
        }
        return null;
    }

    /** The routes, longest prefix first (a copy). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }
}
