package dev.libos.jvm.net.testing;

import dev.libos.api.net.HostNetwork;
import dev.libos.api.net.HostNetwork.HostEntry;
import dev.libos.api.net.HostNetwork.InterfaceInfo;
import dev.libos.api.net.Network;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.spi.BootHook;
import dev.libos.api.time.MonotonicClock;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.jvm.net.JvmNetBootHook;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two libos hosts on an in-memory link, each stack polled by its own CPU of a booted kernel:
 * {@code system} (10.0.0.1) is installed as the {@link SystemNetwork} and the JVM-wide adapters
 * are installed by running {@link JvmNetBootHook} as boot does; {@code peer} (10.0.0.2) is the
 * other machine on the LAN, reached only through its own {@link Network}. Hosts entries and DNS
 * servers of the system network can be set by the test.
 */
public final class TestLan implements AutoCloseable {
    public static final String SYSTEM_ADDRESS = "10.0.0.1";
    public static final String PEER_ADDRESS = "10.0.0.2";

    private final Kernel kernel;
    private final StackNetwork system;
    private final StackNetwork peer;
    private final AutoCloseable systemPoller;
    private final AutoCloseable peerPoller;
    private final TestHostNetwork hostNetwork;

    /** Boots a kernel, starts both hosts, installs the system network and runs the jvm-net hook. */
    public static TestLan start(long seed) {
        return new TestLan(seed);
    }

    private TestLan(long seed) {
        kernel = TestKernels.boot(2);
        MonotonicClock clock = kernel.clock();
        MemoryLink link = new MemoryLink("test-lan", 11, clock, LinkFaults.NONE, seed);
        system = host(link.a(), Ipv4Address.of(10, 0, 0, 1), clock, seed);
        peer = host(link.b(), Ipv4Address.of(10, 0, 0, 2), clock, seed + 1);
        systemPoller = system.pollOn(kernel.cpus(), 0);
        peerPoller = peer.pollOn(kernel.cpus(), 1);
        hostNetwork = new TestHostNetwork(system);
        SystemNetwork.install(hostNetwork);
        new JvmNetBootHook().run(kernel, BootHook.Environment.HOSTED, new PrintStream(System.out, true));
    }

    private static StackNetwork host(dev.libos.api.device.NetDevice device, Ipv4Address address, MonotonicClock clock,
            long seed) {
        NetStack ip = new NetStack(NetStackSettings.DEFAULTS);
        NetInterface iface = ip.addInterface(device);
        ip.configure(iface, address, 24);
        return StackNetwork.create(ip, TcpConfig.defaults(), clock, new SplittableRandom(seed), 1024, 1L << 28);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The other host's sockets. */
    public Network peer() {
        return peer;
    }

    /** The system host's sockets. */
    public Network system() {
        return system;
    }

    public static InetAddress address(String dottedQuad) {
        try {
            return InetAddress.getByName(dottedQuad); // a literal: no resolver involved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dottedQuad, e);
        }
    }

    /** Adds a hosts entry to the system network. */
    public void addHost(String name, String dottedQuad) {
        hostNetwork.hosts.add(new HostEntry(name, address(dottedQuad)));
    }

    /** Sets the system network's DNS servers. */
    public void dnsServers(String... dottedQuads) {
        hostNetwork.dns.clear();
        for (String each : dottedQuads) {
            hostNetwork.dns.add(address(each));
        }
    }

    /** Starts {@code body} on a libos thread. */
    public Thread startLibosThread(String name, Runnable body) {
        return kernel.threads().builder().name(name).start(body);
    }

    /** An application's {@code main}. */
    @FunctionalInterface
    public interface Main {
        void main(String[] args) throws Exception;
    }

    /**
     * Runs {@code main} on a libos thread named "main", as {@code Boot} does; what it throws is
     * printed. Interrupt the thread to stop a server that runs until interrupted.
     */
    public Thread runMain(Main main) {
        return startLibosThread("main", () -> {
            try {
                main.main(new String[0]);
            } catch (Throwable t) {
                System.out.println("main ended: " + t);
            }
        });
    }

    /** Waits until the peer can connect to {@code port} of the system host (a server has started). */
    public void awaitListening(int port) throws InterruptedException {
        InetSocketAddress server = new InetSocketAddress(address(SYSTEM_ADDRESS), port);
        for (int attempt = 1; ; attempt++) {
            try (TcpSocket socket = peer.openTcp()) {
                BlockingSockets.connect(socket, server, TimeUnit.SECONDS.toNanos(5));
                return;
            } catch (IOException refused) {
                if (attempt == 400) {
                    throw new AssertionError("nothing listens on " + server + ": " + refused);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Waits until a server on the system host has bound {@code port}, without connecting to it
     * (binding the port again fails with a {@link java.net.BindException} once it is taken).
     */
    public void awaitBound(int port) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try (dev.libos.api.net.TcpServerSocket probe = system.openTcpServer()) {
                probe.bind(new InetSocketAddress(port), 1);
            } catch (java.net.BindException taken) {
                return;
            }
            if (attempt == 400) {
                throw new AssertionError("nothing bound port " + port);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        SystemNetwork.uninstall(hostNetwork);
        systemPoller.close();
        peerPoller.close();
        TestKernels.shutdown(kernel);
    }

    private static final class TestHostNetwork implements HostNetwork {
        private final StackNetwork sockets;
        final List<HostEntry> hosts = new CopyOnWriteArrayList<>();
        final List<InetAddress> dns = new CopyOnWriteArrayList<>();

        TestHostNetwork(StackNetwork sockets) {
            this.sockets = sockets;
        }

        @Override
        public Network sockets() {
            return sockets;
        }

        @Override
        public List<InterfaceInfo> interfaces() {
            return List.of(new InterfaceInfo("lo", 1, new byte[0], address("127.0.0.1"), 8, 65536, true, true),
                    new InterfaceInfo("eth0", 2, new byte[] {2, 0, 0, 0, 0, 1}, address(SYSTEM_ADDRESS), 24, 1500,
                            false, true));
        }

        @Override
        public List<InetAddress> dnsServers() {
            return new ArrayList<>(dns);
        }

        @Override
        public List<HostEntry> hosts() {
            return List.copyOf(hosts);
        }

        @Override
        public String toString() {
            return "TestLan system host " + SYSTEM_ADDRESS;
        }
    }
}
