package dev.libos.net.socket;

import dev.libos.api.time.MonotonicClock;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.host.Addressing;
import dev.libos.net.host.HostStack;
import dev.libos.net.host.StackLimits;
import dev.libos.net.wire.Ipv4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;

/**
 * Two libos hosts (10.0.0.1 server, 10.0.0.2 client) on an in-memory link, each stack polled by
 * its own CPU of a booted two-CPU kernel.
 */
public final class TwoHosts implements AutoCloseable {
    static final Ipv4Address SERVER = Ipv4Address.of(10, 0, 0, 1);
    static final Ipv4Address CLIENT = Ipv4Address.of(10, 0, 0, 2);

    final Kernel kernel;
    final MemoryLink link;
    final StackNetwork server;
    final StackNetwork client;
    private final AutoCloseable serverPoller;
    private final AutoCloseable clientPoller;

    /** Boots a kernel and starts both hosts; {@code faults} apply to both directions. */
    public static TwoHosts start(LinkFaults faults, long seed) {
        return new TwoHosts(faults, seed);
    }

    public StackNetwork server() {
        return server;
    }

    public StackNetwork client() {
        return client;
    }

    public InetAddress serverAddress() {
        return inet(SERVER);
    }

    TwoHosts(LinkFaults faults, long seed) {
        kernel = TestKernels.boot(2);
        MonotonicClock clock = kernel.clock();
        link = new MemoryLink("two-hosts", 7, clock, faults, seed);
        server = host(link.a(), SERVER, clock, seed);
        client = host(link.b(), CLIENT, clock, seed + 1);
        serverPoller = server.pollOn(kernel.cpus(), 0);
        clientPoller = client.pollOn(kernel.cpus(), 1);
    }

    private static StackNetwork host(dev.libos.api.device.NetDevice device, Ipv4Address address, MonotonicClock clock,
            long seed) {
        return HostStack.builder(clock, new SplittableRandom(seed)).limits(StackLimits.SMALL)
                .addInterface(device, Addressing.fixed(address, 24, null)).build().sockets();
    }

    static InetAddress inet(Ipv4Address address) {
        try {
            return InetAddress.getByName(address.toString());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            serverPoller.close();
            clientPoller.close();
        } catch (Exception e) {
            throw new IllegalStateException("removing a poller cannot fail", e);
        }
        TestKernels.shutdown(kernel);
    }
}
