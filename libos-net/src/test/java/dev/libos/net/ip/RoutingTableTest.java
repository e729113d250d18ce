package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final NetStack stack = new NetStack(NetStackSettings.DEFAULTS);
    private final NetInterface eth0 = stack.addInterface(new TestDevice(MacAddress.parse("02:00:00:00:00:01")));
    private final NetInterface eth1 = stack.addInterface(new TestDevice(MacAddress.parse("02:00:00:00:00:02")));

    @Test
    void longestPrefixWinsAndTheDefaultRouteCatchesTheRest() {
        stack.configure(eth0, Ipv4Address.parse("10.0.0.1"), 8);
        stack.configure(eth1, Ipv4Address.parse("10.1.2.1"), 24);
        stack.addRoute(Ipv4Subnet.parse("10.1.0.0/16"), Ipv4Address.parse("10.0.0.254"), eth0);
        RoutingTable routes = stack.routes();
        assertNull(routes.lookup(Ipv4Address.parse("192.168.1.1")));
        assertEquals(eth1, routes.lookup(Ipv4Address.parse("10.1.2.7")).iface());
        Route viaGateway = routes.lookup(Ipv4Address.parse("10.1.3.7"));
        assertEquals(eth0, viaGateway.iface());
        assertEquals(Ipv4Address.parse("10.0.0.254"), viaGateway.nextHop(Ipv4Address.parse("10.1.3.7")));
        assertEquals(Ipv4Address.parse("10.9.9.9"), routes.lookup(Ipv4Address.parse("10.9.9.9")).nextHop(
                Ipv4Address.parse("10.9.9.9")), "on link: the destination is the next hop");
        stack.setDefaultRoute(Ipv4Address.parse("10.1.2.254"), eth1);
        assertEquals(Ipv4Address.parse("10.1.2.254"), routes.lookup(Ipv4Address.parse("192.168.1.1")).gateway());
        stack.setDefaultRoute(Ipv4Address.parse("10.0.0.254"), eth0);
        assertEquals(eth0, routes.lookup(Ipv4Address.parse("8.8.8.8")).iface(), "the default route was replaced");
        assertEquals(4, routes.routes().size());
        assertEquals(Ipv4Address.parse("10.1.2.1"), stack.sourceFor(Ipv4Address.parse("10.1.2.9")));
        assertEquals(1480, stack.maxPayload(Ipv4Address.parse("10.1.2.9")));
    }

    @Test
    void unconfiguringRemovesTheInterfacesRoutes() {
        stack.configure(eth0, Ipv4Address.parse("10.0.0.1"), 8);
        stack.setDefaultRoute(Ipv4Address.parse("10.0.0.254"), eth0);
        stack.unconfigure(eth0);
        assertTrue(stack.routes().routes().isEmpty());
        assertNull(stack.sourceFor(Ipv4Address.parse("10.0.0.2")));
        assertEquals(0, stack.routes().routes().size());
    }

    @Test
    void subnetsClearHostBitsAndRejectBadLengths() {
        Ipv4Subnet s = Ipv4Subnet.parse("192.168.77.99/20");
        assertEquals(Ipv4Address.parse("192.168.64.0"), s.network());
        assertEquals(Ipv4Address.parse("192.168.79.255"), s.broadcast());
        assertTrue(Ipv4Subnet.ANY.contains(Ipv4Address.parse("1.2.3.4")));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("1.2.3.4/33"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("1.2.3.4"));
        assertThrows(IllegalArgumentException.class, () -> stack.configure(
                new NetStack(NetStackSettings.DEFAULTS).addInterface(new TestDevice(MacAddress.ZERO)),
                Ipv4Address.parse("1.1.1.1"), 8));
    }
}
