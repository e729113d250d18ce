package dev.libos.examples.echo;

import dev.libos.api.LibOS;
import dev.libos.api.device.NetDevice;
import dev.libos.api.time.MonotonicClock;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.gateway.Forward;
import dev.libos.net.gateway.PortForwardingGateway;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hosted network of a libos application, laid out like QEMU's user networking: the
 * application's stack at 10.0.2.15 and a gateway host at 10.0.2.2 on an in-memory link, each
 * polled by a CPU loop, with host ports on 127.0.0.1 forwarded to the application.
 */
final class HostedLan implements AutoCloseable {
    static final Ipv4Address GUEST = Ipv4Address.of(10, 0, 2, 15);
    static final Ipv4Address GATEWAY = Ipv4Address.of(10, 0, 2, 2);

    private final StackNetwork guest;
    private final StackNetwork gatewayHost;
    private final PortForwardingGateway gateway;
    private final AutoCloseable[] pollers;

    private HostedLan(StackNetwork guest, StackNetwork gatewayHost, PortForwardingGateway gateway,
            AutoCloseable... pollers) {
        this.guest = guest;
        this.gatewayHost = gatewayHost;
        this.gateway = gateway;
        this.pollers = pollers;
    }

    static HostedLan start(LibOS os, List<Forward> forwards) throws IOException {
        return start(os, forwards, new SecureRandom().nextLong());
    }

    /** Like {@link #start(LibOS, List)}, with the stacks' entropy (ISN and cookie secrets, ports) from {@code seed}. */
    static HostedLan start(LibOS os, List<Forward> forwards, long seed) throws IOException {
        MonotonicClock clock = os.clock();
        SplittableRandom random = new SplittableRandom(seed);
        MemoryLink link = new MemoryLink("lan", 0x52_54_00_12_34_56L, 0x52_55_0A_00_02_02L, MemoryLink.DEFAULT_MTU,
                MemoryLink.DEFAULT_QUEUE_FRAMES, clock, LinkFaults.NONE, LinkFaults.NONE, random.nextLong());
        StackNetwork guest = stack(link.a(), GUEST, clock, random);
        StackNetwork gatewayHost = stack(link.b(), GATEWAY, clock, random);
        int cpus = os.cpus().count();
        AutoCloseable guestPoller = guest.pollOn(os.cpus(), 0);
        AutoCloseable gatewayPoller = gatewayHost.pollOn(os.cpus(), cpus > 1 ? 1 : 0);
        PortForwardingGateway gateway = PortForwardingGateway.start(gatewayHost, inet(GUEST), forwards);
        return new HostedLan(guest, gatewayHost, gateway, guestPoller, gatewayPoller);
    }

    private static StackNetwork stack(NetDevice device, Ipv4Address address, MonotonicClock clock,
            SplittableRandom random) {
        NetStack ip = new NetStack(NetStackSettings.DEFAULTS);
        NetInterface iface = ip.addInterface(device);
        ip.configure(iface, address, 24);
        return StackNetwork.create(ip, TcpConfig.defaults(), clock, random.split(), 4096, 1L << 30);
    }

    static InetAddress inet(Ipv4Address address) throws IOException {
        return InetAddress.getByName(address.toString());
    }

    StackNetwork guest() {
        return guest;
    }

    /** The gateway host's stack (10.0.2.2), whose sockets the gateway opens. */
    StackNetwork gatewayHost() {
        return gatewayHost;
    }

    PortForwardingGateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        gateway.close();
        for (AutoCloseable poller : pollers) {
            try {
                poller.close();
            } catch (Exception e) {
                throw new IllegalStateException("removing a poller cannot fail", e);
            }
        }
    }
}
