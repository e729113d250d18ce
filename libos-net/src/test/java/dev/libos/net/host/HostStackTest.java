package dev.libos.net.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.HostNetwork.InterfaceInfo;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.time.ManualClock;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HostStackTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long TIMEOUT_NANOS = 20 * SECOND;
    private static final Ipv4Address GUEST = Ipv4Address.of(10, 0, 2, 15);
    private static final Ipv4Address GATEWAY = Ipv4Address.of(10, 0, 2, 2);
    private static final Ipv4Address DNS = Ipv4Address.of(10, 0, 2, 3);

    private Kernel kernel;
    private final List<HostStack> hosts = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        hosts.forEach(HostStack::close);
        if (kernel != null) {
            TestKernels.shutdown(kernel);
        }
    }

    private HostStack polled(HostStackBuilder builder, int cpu) {
        HostStack host = builder.build();
        hosts.add(host);
        host.pollOn(kernel.cpus(), cpu);
        return host;
    }

    @Test
    void twoHostsBuiltOnAnInMemoryLinkConnect() throws Exception {
        kernel = TestKernels.boot(2);
        MemoryLink link = new MemoryLink("lan", 3, kernel.clock(), LinkFaults.NONE, 5);
        HostStack server = polled(HostStack.builder(kernel.clock(), new SplittableRandom(1))
                .addInterface(link.a(), Addressing.fixed(GUEST, 24, GATEWAY)), 0);
        HostStack client = polled(HostStack.builder(kernel.clock(), new SplittableRandom(2))
                .addInterface(link.b(), Addressing.fixed(GATEWAY, 24, null)), 1);

        assertEquals("hello", echoOnce(server, client, HostStack.inet(GUEST), "hello"));

        List<InterfaceInfo> interfaces = server.interfaces();
        assertEquals(2, interfaces.size());
        InterfaceInfo lo = interfaces.get(0);
        assertEquals("lo", lo.name());
        assertEquals(1, lo.index());
        assertTrue(lo.loopback());
        assertEquals(InetAddress.getLoopbackAddress(), lo.address());
        assertEquals(8, lo.prefixLength());
        InterfaceInfo nic = interfaces.get(1);
        assertEquals(2, nic.index());
        assertFalse(nic.loopback());
        assertArrayEquals(link.a().macAddress(), nic.hardwareAddress());
        assertEquals(HostStack.inet(GUEST), nic.address());
        assertEquals(24, nic.prefixLength());
        assertEquals(GATEWAY, server.gateway());
        assertNull(client.gateway());
    }

    @Test
    void aHostReachesItselfOnLoopbackAndOnItsOwnAddressWithoutTheLink() throws Exception {
        kernel = TestKernels.boot(1);
        // Nothing polls the link's other end: nobody would answer ARP, so only loopback can carry these.
        MemoryLink link = new MemoryLink("lan", 4, kernel.clock(), LinkFaults.NONE, 6);
        HostStack host = polled(HostStack.builder(kernel.clock(), new SplittableRandom(3))
                .addInterface(link.a(), Addressing.fixed(GUEST, 24, GATEWAY)), 0);

        assertEquals("to self", echoOnce(host, host, InetAddress.getLoopbackAddress(), "to self"));
        assertEquals("to own address", echoOnce(host, host, HostStack.inet(GUEST), "to own address"));
        // All of 127.0.0.0/8 is this host (RFC 1122 3.2.1.3), as on Linux.
        assertEquals("to 127.0.0.2", echoOnce(host, host, InetAddress.getByName("127.0.0.2"), "to 127.0.0.2"));
    }

    @Test
    void withoutLoopbackTheHostHasOnlyItsNics() {
        MemoryLink link = new MemoryLink("lan", 5, new ManualClock(0), LinkFaults.NONE, 7);
        HostStack host = HostStack.builder(new ManualClock(0), new SplittableRandom(4)).loopback(false)
                .addInterface(link.a(), Addressing.fixed(GUEST, 24, null)).build();
        assertEquals(1, host.interfaces().size());
        assertFalse(host.interfaces().getFirst().loopback());
    }

    @Test
    void dhcpLeasesAddressRouterAndNameServer() throws Exception {
        kernel = TestKernels.boot(2);
        MemoryLink link = new MemoryLink("lan", 6, kernel.clock(), LinkFaults.NONE, 8);
        HostStack gateway = polled(HostStack.builder(kernel.clock(), new SplittableRandom(5))
                .addInterface(link.b(), Addressing.fixed(GATEWAY, 24, null)), 1);
        TinyDhcpServer.start(gateway.sockets(), GUEST, GATEWAY, DNS);
        List<String> log = new CopyOnWriteArrayList<>();
        HostStack guest = polled(HostStack.builder(kernel.clock(), new SplittableRandom(6)).log(log::add)
                .addInterface(link.a(), Addressing.dhcp()), 0);

        assertTrue(guest.usesDhcp());
        assertTrue(guest.awaitAddress(kernel.clock(), TIMEOUT_NANOS), "no lease; log: " + log);
        InterfaceInfo nic = guest.interfaces().get(1);
        assertEquals(HostStack.inet(GUEST), nic.address());
        assertEquals(24, nic.prefixLength());
        assertEquals(GATEWAY, guest.gateway());
        assertEquals(List.of(HostStack.inet(DNS)), guest.dnsServers());
        assertTrue(log.stream().anyMatch(line -> line.contains("leased 10.0.2.15/24")), log.toString());
        assertEquals("over the lease", echoOnce(gateway, guest, HostStack.inet(GATEWAY), "over the lease"));
    }

    @Test
    void configuredNameServersReplaceTheLeasesOnes() throws Exception {
        MemoryLink link = new MemoryLink("lan", 7, new ManualClock(0), LinkFaults.NONE, 9);
        InetAddress configured = InetAddress.getByName("192.0.2.53");
        HostStack host = HostStack.builder(new ManualClock(0), new SplittableRandom(7))
                .addInterface(link.a(), Addressing.dhcp()).dnsServers(List.of(configured)).build();
        assertEquals(List.of(configured), host.dnsServers());
    }

    @Test
    void dhcpWithoutAnswerBacksOffLogsEachRetryAndAwaitingEnds() throws Exception {
        ManualClock clock = new ManualClock(0);
        MemoryLink link = new MemoryLink("silent", 8, clock, LinkFaults.NONE, 10);
        List<String> log = new CopyOnWriteArrayList<>();
        HostStack host = HostStack.builder(clock, new SplittableRandom(8)).log(log::add)
                .addInterface(link.a(), Addressing.dhcp()).build();
        // RFC 2131 4.1: retransmissions after 4, 8, 16, 32, 64 s, then every 64 s.
        long[] waits = {0, 4, 8, 16, 32, 64, 64};
        for (long wait : waits) {
            clock.advance(wait * SECOND);
            host.sockets().poll(clock.nanoTime());
        }
        assertEquals(List.of(
                "dhcp: no answer on " + link.a().name() + " (2 DISCOVERs sent), next in 8 s",
                "dhcp: no answer on " + link.a().name() + " (3 DISCOVERs sent), next in 16 s",
                "dhcp: no answer on " + link.a().name() + " (4 DISCOVERs sent), next in 32 s",
                "dhcp: no answer on " + link.a().name() + " (5 DISCOVERs sent), next in 64 s",
                "dhcp: no answer on " + link.a().name() + " (6 DISCOVERs sent), next in 64 s",
                "dhcp: no answer on " + link.a().name() + " (7 DISCOVERs sent), next in 64 s"), log);
        assertFalse(host.awaitAddress(clock, 0));
        assertNull(host.interfaces().get(1).address());
        assertEquals(List.of(), host.dnsServers());
    }

    @Test
    void badConfigurationIsRefusedNamingTheValue() {
        MemoryLink link = new MemoryLink("lan", 9, new ManualClock(0), LinkFaults.NONE, 11);
        HostStackBuilder builder = HostStack.builder(new ManualClock(0), new SplittableRandom(9))
                .addInterface(link.a(), Addressing.dhcp());
        IllegalArgumentException twoDhcp = assertThrows(IllegalArgumentException.class,
                () -> builder.addInterface(link.b(), Addressing.dhcp()));
        assertTrue(twoDhcp.getMessage().contains("only one interface"), twoDhcp.getMessage());
        IllegalArgumentException offLink = assertThrows(IllegalArgumentException.class,
                () -> Addressing.fixed(GUEST, 24, Ipv4Address.of(10, 0, 3, 1)));
        assertTrue(offLink.getMessage().contains("10.0.3.1"), offLink.getMessage());
        IllegalArgumentException mtu = assertThrows(IllegalArgumentException.class,
                () -> builder.addInterface(link.b(), Addressing.fixed(GATEWAY, 24, null), 9000));
        assertTrue(mtu.getMessage().contains("9000"), mtu.getMessage());
    }

    @Test
    void aSmallerMtuIsTheInterfaces() {
        MemoryLink link = new MemoryLink("lan", 10, new ManualClock(0), LinkFaults.NONE, 12);
        HostStack host = HostStack.builder(new ManualClock(0), new SplittableRandom(10))
                .addInterface(link.a(), Addressing.fixed(GUEST, 24, null), 1400).build();
        assertEquals(1400, host.interfaces().get(1).mtu());
    }

    /** Serves one connection on {@code server} that echoes; {@code client} connects to {@code address} and sends {@code text}. */
    private static String echoOnce(HostStack server, HostStack client, InetAddress address, String text)
            throws Exception {
        try (TcpServerSocket listener = server.sockets().openTcpServer(); TcpSocket socket = client.sockets().openTcp()) {
            listener.bind(new InetSocketAddress(0), 4);
            Thread echo = Thread.ofPlatform().start(() -> {
                try (TcpSocket conn = BlockingSockets.accept(listener, TIMEOUT_NANOS)) {
                    ByteBuffer buffer = ByteBuffer.allocate(256);
                    while (BlockingSockets.read(conn, buffer.clear(), TIMEOUT_NANOS) >= 0) {
                        BlockingSockets.writeFully(conn, buffer.flip(), TIMEOUT_NANOS);
                    }
                    conn.shutdownOutput();
                } catch (IOException e) {
                    // the client's assertions report it
                }
            });
            BlockingSockets.connect(socket, new InetSocketAddress(address, listener.localAddress().getPort()),
                    TIMEOUT_NANOS);
            BlockingSockets.writeFully(socket, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), TIMEOUT_NANOS);
            socket.shutdownOutput();
            ByteBuffer reply = ByteBuffer.allocate(256);
            while (BlockingSockets.read(socket, reply, TIMEOUT_NANOS) >= 0) {
                // until the echo's FIN
            }
            echo.join(TIMEOUT_NANOS / 1_000_000);
            return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
        }
    }
}
