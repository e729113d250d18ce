package dev.libos.net.host;

import dev.libos.api.device.NetDevice;
import dev.libos.api.time.MonotonicClock;
import dev.libos.net.ip.LoopbackDevice;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.ip.dhcp.DhcpClient;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.wire.Ipv4Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.LoggerFactory;

/**
 * Builds one host's network: a {@link NetStack} with an interface per device, each with a fixed
 * address or DHCP, a loopback interface (127.0.0.1/8, and every local address reached through
 * it), TCP and UDP with named {@link StackLimits}, and the name servers. The one way hosts,
 * examples, tests and benchmarks set up a stack:
 *
 * <pre>{@code
 * HostStack host = HostStack.builder(os.clock(), random)
 *         .addInterface(device, Addressing.fixed(Ipv4Address.of(10, 0, 2, 15), 24, Ipv4Address.of(10, 0, 2, 2)))
 *         .build();
 * host.pollOn(os.cpus(), 0);
 * }</pre>
 */
public final class HostStackBuilder {
    /** The loopback address (RFC 1122 section 3.2.1.3). */
    public static final Ipv4Address LOOPBACK = Ipv4Address.of(127, 0, 0, 1);

    private record Planned(NetDevice device, Addressing addressing) {
    }

    private final MonotonicClock clock;
    private final RandomGenerator random;
    private final List<Planned> planned = new ArrayList<>();
    private final List<InetAddress> dnsServers = new ArrayList<>();
    private NetStackSettings settings = NetStackSettings.DEFAULTS;
    private TcpConfig tcp = TcpConfig.defaults();
    private StackLimits limits = StackLimits.SERVER;
    private boolean loopback = true;
    private Consumer<String> log = LoggerFactory.getLogger(HostStack.class)::info;

    HostStackBuilder(MonotonicClock clock, RandomGenerator random) {
        if (clock == null || random == null) {
            throw new IllegalArgumentException("clock and random must not be null");
        }
        this.clock = clock;
        this.random = random;
    }

    /** IP-layer settings (ARP, reassembly, ICMP); {@link NetStackSettings#DEFAULTS} by default. */
    public HostStackBuilder settings(NetStackSettings value) {
        this.settings = require(value, "settings");
        return this;
    }

    /** TCP settings, per-connection buffer sizes among them; {@link TcpConfig#defaults()} by default. */
    public HostStackBuilder tcp(TcpConfig value) {
        this.tcp = require(value, "tcp");
        return this;
    }

    /** Host-wide limits; {@link StackLimits#SERVER} by default. */
    public HostStackBuilder limits(StackLimits value) {
        this.limits = require(value, "limits");
        return this;
    }

    /** Whether the host has a loopback interface (yes by default). */
    public HostStackBuilder loopback(boolean value) {
        this.loopback = value;
        return this;
    }

    /** Where the host reports DHCP progress (one line per event); slf4j by default. */
    public HostStackBuilder log(Consumer<String> value) {
        this.log = require(value, "log");
        return this;
    }

    /**
     * Adds an interface over {@code device}. At most one interface may use DHCP (the client
     * owns UDP port 68).
     */
    public HostStackBuilder addInterface(NetDevice device, Addressing addressing) {
        require(device, "device");
        require(addressing, "addressing");
        if (addressing instanceof Addressing.Dhcp && planned.stream().anyMatch(p -> p.addressing() instanceof Addressing.Dhcp)) {
            throw new IllegalArgumentException("only one interface can use DHCP: " + device.name());
        }
        planned.add(new Planned(device, addressing));
        return this;
    }

    /** Like {@link #addInterface(NetDevice, Addressing)} with an MTU below the device's (68 to its MTU). */
    public HostStackBuilder addInterface(NetDevice device, Addressing addressing, int mtu) {
        require(device, "device");
        return addInterface(mtu == device.mtu() ? device : new MtuLimitedDevice(device, mtu), addressing);
    }

    /** Name servers, in order; they replace any a DHCP lease names. */
    public HostStackBuilder dnsServers(List<InetAddress> servers) {
        for (InetAddress server : servers) {
            if (!(server instanceof Inet4Address)) {
                throw new IllegalArgumentException("name servers must be IPv4 addresses: " + server);
            }
        }
        dnsServers.clear();
        dnsServers.addAll(servers);
        return this;
    }

    /** Builds the host; nothing polls it until {@link HostStack#pollOn}. */
    public HostStack build() {
        NetStack ip = new NetStack(settings);
        List<NetInterface> links = new ArrayList<>();
        NetInterface dhcpInterface = null;
        for (Planned plan : planned) {
            NetInterface iface = ip.addInterface(plan.device());
            links.add(iface);
            switch (plan.addressing()) {
                case Addressing.Fixed fixed -> {
                    ip.configure(iface, fixed.address(), fixed.prefixLength());
                    if (fixed.gateway() != null) {
                        ip.setDefaultRoute(fixed.gateway(), iface);
                    }
                }
                case Addressing.Dhcp ignored -> dhcpInterface = iface;
            }
        }
        // Added last so that "the first interface" (wildcard binds, broadcasts) stays a real one.
        NetInterface lo = null;
        if (loopback) {
            lo = ip.addInterface(new LoopbackDevice());
            ip.configure(lo, LOOPBACK, 8);
        }
        StackNetwork network = StackNetwork.create(ip, tcp, clock, random, limits.maxConnections(),
                limits.tcpBufferBudgetBytes());
        DhcpWatch dhcp = null;
        if (dhcpInterface != null) {
            NetInterface iface = dhcpInterface;
            DhcpClient client = network.withStack(() -> new DhcpClient(ip, iface, network.udp(), random.nextInt()));
            dhcp = new DhcpWatch(client, iface, log);
            network.addStackPoller(dhcp);
        }
        return new HostStack(network, lo, links, dhcp, dnsServers);
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
