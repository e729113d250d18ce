package dev.libos.net.host;

import dev.libos.api.net.HostNetwork;
import dev.libos.api.thread.Cpus;
import dev.libos.api.time.MonotonicClock;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.Route;
import dev.libos.net.ip.Ipv4Subnet;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.wire.Ipv4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The network of one libos host, built by {@link HostStackBuilder}: its stack and socket API
 * ({@link #sockets()}), its interfaces (loopback first, as Linux numbers them) and its name
 * servers (configured, else from the DHCP lease). Closing it stops the CPUs polling the stack;
 * the devices stay the caller's.
 */
public final class HostStack implements HostNetwork, AutoCloseable {
    private final StackNetwork network;
    private final NetInterface loopback;
    private final List<NetInterface> links;
    private final DhcpWatch dhcp;
    private final List<InetAddress> configuredDns;
    private final List<AutoCloseable> pollers = new CopyOnWriteArrayList<>();

    HostStack(StackNetwork network, NetInterface loopback, List<NetInterface> links, DhcpWatch dhcp,
            List<InetAddress> configuredDns) {
        this.network = network;
        this.loopback = loopback;
        this.links = List.copyOf(links);
        this.dhcp = dhcp;
        this.configuredDns = List.copyOf(configuredDns);
    }

    /** A builder for a host on {@code clock}, with {@code random} for TCP's initial sequence numbers and DHCP. */
    public static HostStackBuilder builder(MonotonicClock clock, RandomGenerator random) {
        return new HostStackBuilder(clock, random);
    }

    @Override
    public StackNetwork sockets() {
        return network;
    }

    /** The interfaces over devices (loopback not included), in the order added. */
    public List<NetInterface> links() {
        return links;
    }

    /**
     * Has {@code cpu} poll the stack (and wake on frames); {@link #close()} undoes it.
     *
     * @return undoes it earlier
     */
    public AutoCloseable pollOn(Cpus cpus, int cpu) {
        AutoCloseable poller = network.pollOn(cpus, cpu);
        pollers.add(poller);
        return () -> {
            if (pollers.remove(poller)) {
                poller.close();
            }
        };
    }

    /** Whether an interface gets its address from DHCP. */
    public boolean usesDhcp() {
        return dhcp != null;
    }

    /**
     * Waits, reading {@code clock}, until the DHCP interface holds a lease or {@code timeoutNanos}
     * have passed; DHCP keeps trying (backing off) after a timeout. True at once without DHCP.
     * The stack must be polled meanwhile ({@link #pollOn}).
     */
    public boolean awaitAddress(MonotonicClock clock, long timeoutNanos) throws InterruptedException {
        if (dhcp == null) {
            return true;
        }
        long deadline = clock.nanoTime() + Math.max(0, timeoutNanos);
        while (!dhcp.bound()) {
            if (clock.nanoTime() - deadline >= 0) {
                return false;
            }
            // A parked libos thread gives its CPU to others, the stack's poller among them.
            Thread.sleep(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(deadline - clock.nanoTime()))));
        }
        return true;
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        return network.withStack(() -> {
            List<InterfaceInfo> out = new ArrayList<>();
            if (loopback != null) {
                out.add(info(loopback, out.size() + 1));
            }
            for (NetInterface iface : links) {
                out.add(info(iface, out.size() + 1));
            }
            return out;
        });
    }

    @Override
    public int listeningSockets() {
        return sockets().withStack(() -> sockets().tcp().listenerCount());
    }

    @Override
    public List<InetAddress> dnsServers() {
        if (!configuredDns.isEmpty() || dhcp == null) {
            return configuredDns;
        }
        return network.withStack(() -> dhcp.client().dnsServers().stream().map(HostStack::inet).toList());
    }

    /** The default gateway (the default route's next hop), or null without one. */
    public Ipv4Address gateway() {
        return network.withStack(() -> {
            for (Route route : network.ip().routes().routes()) {
                if (route.destination().equals(Ipv4Subnet.ANY)) {
                    return route.gateway();
                }
            }
            return null;
        });
    }

    private static InterfaceInfo info(NetInterface iface, int index) {
        InetAddress address = iface.configured() ? inet(iface.address()) : null;
        byte[] mac = iface.loopback() ? new byte[0] : iface.mac().toBytes();
        return new InterfaceInfo(iface.name(), index, mac, address, iface.configured() ? iface.prefixLength() : 0,
                iface.mtu(), iface.loopback(), iface.device().linkUp());
    }

    /** {@code address} as a JDK address. */
    public static InetAddress inet(Ipv4Address address) {
        int v = address.value();
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** Stops every CPU polling the stack. */
    @Override
    public void close() {
        for (AutoCloseable poller : pollers) {
            try {
                poller.close();
            } catch (Exception e) {
                throw new IllegalStateException("removing a poller cannot fail", e);
            }
        }
        pollers.clear();
    }

    @Override
    public String toString() {
        return "HostStack" + links;
    }
}
