package dev.libos.hosted;

import dev.libos.jvm.net.PlatformSockets;

import dev.libos.api.LibOS;
import dev.libos.api.time.MonotonicClock;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.gateway.Forward;
import dev.libos.net.gateway.PortForwardingGateway;
import dev.libos.net.host.Addressing;
import dev.libos.net.host.HostStack;
import dev.libos.net.host.StackLimits;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hosted network of a libos application, laid out like QEMU's user networking: the
 * application's host at {@value #APPLICATION_TEXT}/24 and a gateway host at 10.0.2.2 on an
 * in-memory link, each polled by a libos CPU, with host ports on 127.0.0.1 forwarded to the
 * application by a {@link PortForwardingGateway} whose host side uses the host's real sockets
 * ({@link PlatformSockets}); and, as slirp does, the application's connections to 10.0.2.2:P
 * reach the host's 127.0.0.1:P ({@link OutboundToHost}).
 */
public final class HostedLan implements AutoCloseable {
    static final String APPLICATION_TEXT = "10.0.2.15";
    /** The application's address. */
    public static final Ipv4Address APPLICATION = Ipv4Address.parse(APPLICATION_TEXT);
    /** The gateway host's address. */
    public static final Ipv4Address GATEWAY = Ipv4Address.of(10, 0, 2, 2);
    /** QEMU's user-network MACs: 52:54:00:12:34:56 for the guest, 52:55:0a:00:02:02 for its gateway. */
    private static final long APPLICATION_MAC = 0x52_54_00_12_34_56L;
    private static final long GATEWAY_MAC = 0x52_55_0A_00_02_02L;

    private final HostStack application;
    private final HostStack gatewayHost;
    private final PortForwardingGateway gateway;
    private final OutboundToHost outbound;

    private HostedLan(HostStack application, HostStack gatewayHost, PortForwardingGateway gateway,
            OutboundToHost outbound) {
        this.application = application;
        this.gatewayHost = gatewayHost;
        this.gateway = gateway;
        this.outbound = outbound;
    }

    /**
     * Starts both hosts and the gateway.
     *
     * @throws java.net.BindException naming the host port when one is taken (nothing is left running)
     */
    public static HostedLan start(LibOS os, List<Forward> forwards) throws IOException {
        return start(os, forwards, new SecureRandom().nextLong());
    }

    /**
     * Like {@link #start(LibOS, List)}, with the stacks' entropy (initial sequence numbers, SYN
     * cookie secrets, ports) from {@code seed}: a seeded test replays its run.
     */
    public static HostedLan start(LibOS os, List<Forward> forwards, long seed) throws IOException {
        MonotonicClock clock = os.clock();
        SplittableRandom random = new SplittableRandom(seed);
        MemoryLink link = new MemoryLink("lan", APPLICATION_MAC, GATEWAY_MAC, MemoryLink.DEFAULT_MTU,
                MemoryLink.DEFAULT_QUEUE_FRAMES, clock, LinkFaults.NONE, LinkFaults.NONE, random.nextLong());
        HostStack application = HostStack.builder(clock, random.split())
                .addInterface(link.a(), Addressing.fixed(APPLICATION, 24, GATEWAY)).build();
        OutboundToHost outbound = new OutboundToHost(HostStack.inet(GATEWAY));
        HostStack gatewayHost = HostStack.builder(clock, random.split()).loopback(false).limits(StackLimits.SMALL)
                .addInterface(outbound.watch(link.b()), Addressing.fixed(GATEWAY, 24, null)).build();
        outbound.attach(gatewayHost.sockets()); // before anything polls the gateway host
        int cpus = os.cpus().count();
        application.pollOn(os.cpus(), 0);
        gatewayHost.pollOn(os.cpus(), cpus > 1 ? 1 : 0);
        try {
            PortForwardingGateway gateway = PortForwardingGateway.start(gatewayHost.sockets(),
                    HostStack.inet(APPLICATION), forwards, PlatformSockets.provider());
            return new HostedLan(application, gatewayHost, gateway, outbound);
        } catch (IOException | RuntimeException e) {
            application.close();
            gatewayHost.close();
            throw e;
        }
    }

    /** The application's host: its sockets, interfaces, name servers. */
    public HostStack application() {
        return application;
    }

    /** The gateway host (10.0.2.2), whose sockets the gateway opens. */
    public HostStack gatewayHost() {
        return gatewayHost;
    }

    /** The gateway (host addresses of the forwards, counters). */
    public PortForwardingGateway gateway() {
        return gateway;
    }

    /** Connections the application opened to the host through the gateway's address. */
    public long outboundConnections() {
        return outbound.connections();
    }

    @Override
    public void close() {
        outbound.close();
        gateway.close();
        application.close();
        gatewayHost.close();
    }
}
