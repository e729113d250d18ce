package dev.libos.net.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import dev.libos.api.time.ManualClock;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.tcp.TcpConnection;
import dev.libos.net.tcp.TcpCounter;
import dev.libos.net.tcp.TcpState;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/**
 * The socket options whose effect is on the wire, on two stacks over an in-memory link driven by
 * a manual clock: the test polls both stacks and moves time itself, so keep-alive idle times of
 * minutes pass in no time and nothing depends on the machine's speed.
 */
class StackSocketOptionsTest {
    private static final Ipv4Address SERVER = Ipv4Address.of(10, 0, 0, 1);
    private static final Ipv4Address CLIENT = Ipv4Address.of(10, 0, 0, 2);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ManualClock clock = new ManualClock(1_000 * SECOND);
    private final MemoryLink link = new MemoryLink("options", 11, clock, LinkFaults.NONE, 5);
    private final StackNetwork server = host(link.a(), SERVER, 1);
    private final StackNetwork client = host(link.b(), CLIENT, 2);

    private StackNetwork host(dev.libos.api.device.NetDevice device, Ipv4Address address, long seed) {
        NetStack ip = new NetStack(NetStackSettings.DEFAULTS);
        NetInterface iface = ip.addInterface(device);
        ip.configure(iface, address, 24);
        return StackNetwork.create(ip, TcpConfig.defaults(), clock, new SplittableRandom(seed), 64, 1L << 26);
    }

    /** Polls both stacks until neither has work. */
    private void settle() {
        for (int round = 0; round < 1000; round++) {
            long now = clock.nanoTime();
            if (server.poll(now) + client.poll(now) == 0 && server.poll(now) + client.poll(now) == 0) {
                return;
            }
            if (round >= 100) {
                // A test's closer thread may hold the stack, descheduled on a busy host: give it the CPU.
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
        throw new AssertionError("the stacks never settled");
    }

    /** Moves time in one-second steps, polling at each. */
    private void advance(long nanos) {
        for (long left = nanos; left > 0; left -= SECOND) {
            clock.advance(Math.min(SECOND, left));
            settle();
        }
    }

    private record Pair(TcpServerSocket listener, TcpSocket client, TcpSocket accepted) {
    }

    private Pair connect(TcpSocket socket) throws IOException {
        TcpServerSocket listener = server.openTcpServer();
        listener.bind(new InetSocketAddress(TwoHosts.inet(SERVER), 8080), 4);
        socket.connect(new InetSocketAddress(TwoHosts.inet(SERVER), 8080));
        settle();
        assertTrue(socket.finishConnect());
        TcpSocket accepted = listener.accept();
        assertNotNull(accepted);
        return new Pair(listener, socket, accepted);
    }

    private static TcpConnection only(StackNetwork network) {
        return network.withStack(() -> {
            assertEquals(1, network.tcp().connections().size());
            return network.tcp().connections().getFirst();
        });
    }

    private static long counter(StackNetwork network, TcpCounter counter) {
        return network.withStack(() -> network.tcp().connectionCounters().get(counter));
    }

    @Test
    void keepAliveProbesAnIdlePeerAndAbortsAfterTcpKeepCountUnansweredProbes() throws Exception {
        Pair p = connect(client.openTcp());
        TcpSocket socket = p.client();
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 60);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);

        advance(59 * SECOND);
        assertEquals(0, counter(client, TcpCounter.KEEPALIVE_PROBES), "idle for less than TCP_KEEPIDLE");
        advance(SECOND);
        assertEquals(1, counter(client, TcpCounter.KEEPALIVE_PROBES), "one probe after TCP_KEEPIDLE");
        // The peer answered (its ACK restarted the idle time): no second probe within the interval.
        advance(30 * SECOND);
        assertEquals(1, counter(client, TcpCounter.KEEPALIVE_PROBES));
        assertEquals(0, counter(server, TcpCounter.KEEPALIVE_PROBES), "the peer did not ask for keep-alive");

        link.setUp(false); // the peer vanishes without a word
        advance(30 * SECOND);
        assertEquals(2, counter(client, TcpCounter.KEEPALIVE_PROBES));
        advance(20 * SECOND);
        assertEquals(4, counter(client, TcpCounter.KEEPALIVE_PROBES), "a probe every TCP_KEEPINTERVAL");
        assertEquals(TcpState.ESTABLISHED, only(client).state());
        advance(10 * SECOND);
        // Three unanswered probes and one more interval: reset, aborted, and the application told.
        assertEquals(0, client.withStack(() -> client.tcp().connectionCount()));
        assertTrue((socket.readyOps() & Readiness.READ) != 0, "the failure wakes a reader");
        SocketException e = assertThrows(SocketException.class, () -> socket.read(ByteBuffer.allocate(8)));
        assertTrue(e.getMessage().contains("connection timed out"), e.getMessage());
        assertThrows(SocketException.class, () -> socket.write(ByteBuffer.wrap(new byte[1])));
    }

    @Test
    void keepAliveStaysSilentWhileTheConnectionIsBusyAndWhenOff() throws Exception {
        Pair p = connect(client.openTcp());
        p.client().setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 5);
        advance(60 * SECOND);
        assertEquals(0, counter(client, TcpCounter.KEEPALIVE_PROBES), "SO_KEEPALIVE is off by default");
        p.client().setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        settle();
        // Idle time counts from the last segment heard, so switching on after a long silence probes at once.
        assertEquals(1, counter(client, TcpCounter.KEEPALIVE_PROBES));
        for (int i = 0; i < 10; i++) {
            p.accepted().write(ByteBuffer.wrap(new byte[] {1}));
            advance(2 * SECOND);
        }
        assertEquals(1, counter(client, TcpCounter.KEEPALIVE_PROBES), "traffic within TCP_KEEPIDLE needs no probe");
    }

    @Test
    void soRcvBufSetsTheWindowThePeerSees() throws Exception {
        TcpSocket socket = client.openTcp();
        socket.setOption(StandardSocketOptions.SO_RCVBUF, 16384);
        Pair p = connect(socket);
        assertEquals(16384, only(server).sendWindow(), "the window our SYN and ACKs offered");
        socket.setOption(StandardSocketOptions.SO_RCVBUF, 40000);
        settle();
        // The window grew by more than the SWS threshold, so an update went out at once.
        assertEquals(40000, only(client).receiveBufferCapacity());
        assertEquals(40000, only(server).sendWindow(), "the grown window");
        assertEquals(40000, p.client().getOption(StandardSocketOptions.SO_RCVBUF));
    }

    @Test
    void aListenersSoRcvBufSizesTheConnectionsItAccepts() throws Exception {
        TcpServerSocket listener = server.openTcpServer();
        listener.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
        listener.bind(new InetSocketAddress(TwoHosts.inet(SERVER), 9090), 4);
        TcpSocket socket = client.openTcp();
        socket.connect(new InetSocketAddress(TwoHosts.inet(SERVER), 9090));
        settle();
        TcpSocket accepted = listener.accept();
        assertEquals(8192, accepted.getOption(StandardSocketOptions.SO_RCVBUF));
        assertEquals(8192, only(client).sendWindow());
    }

    @Test
    void soLingerZeroSendsAResetAndSoSndBufResizesALiveConnection() throws Exception {
        Pair p = connect(client.openTcp());
        p.accepted().setOption(StandardSocketOptions.SO_SNDBUF, 16384);
        assertEquals(16384, only(server).sendBufferCapacity());
        assertEquals(16384, p.accepted().write(ByteBuffer.allocate(100_000)), "at most SO_SNDBUF is queued");
        settle();
        long resets = counter(server, TcpCounter.RESETS_SENT);
        p.accepted().setOption(StandardSocketOptions.SO_LINGER, 0);
        p.accepted().close();
        settle();
        assertEquals(resets + 1, counter(server, TcpCounter.RESETS_SENT));
        // A reset flushes the queues (RFC 9293 3.10.7.4): the reader learns of it at once.
        SocketException reset = assertThrows(SocketException.class, () -> p.client().read(ByteBuffer.allocate(8)));
        assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
    }

    @Test
    void quickAckAcknowledgesEverySegmentAtOnce() throws Exception {
        Pair p = connect(client.openTcp());
        p.accepted().setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        long delayed = counter(server, TcpCounter.DELAYED_ACKS);
        for (int i = 0; i < 5; i++) {
            p.client().write(ByteBuffer.wrap(new byte[] {1}));
            settle();
            clock.advance(SECOND);
            settle();
        }
        assertEquals(delayed, counter(server, TcpCounter.DELAYED_ACKS), "no ACK waited for the delayed-ACK timer");
        p.accepted().setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
        p.client().write(ByteBuffer.wrap(new byte[] {1}));
        settle();
        clock.advance(SECOND);
        settle();
        assertEquals(delayed + 1, counter(server, TcpCounter.DELAYED_ACKS), "delayed again once cleared");
    }

    @Test
    void broadcastNeedsSoBroadcastAndDatagramsLargerThanSoSndBufAreRefused() throws Exception {
        try (UdpSocket udp = client.openUdp()) {
            udp.bind(null);
            InetSocketAddress broadcast = new InetSocketAddress(TwoHosts.inet(Ipv4Address.of(10, 0, 0, 255)), 7);
            SocketException denied = assertThrows(SocketException.class,
                    () -> udp.send(ByteBuffer.wrap(new byte[4]), broadcast));
            assertTrue(denied.getMessage().contains("SO_BROADCAST"), denied.getMessage());
            udp.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertEquals(4, udp.send(ByteBuffer.wrap(new byte[4]), broadcast));
            udp.setOption(StandardSocketOptions.SO_SNDBUF, 1000);
            assertEquals(4096, udp.getOption(StandardSocketOptions.SO_SNDBUF), "rounded up to the smallest buffer");
            SocketException tooLong = assertThrows(SocketException.class,
                    () -> udp.send(ByteBuffer.wrap(new byte[4097]), new InetSocketAddress(TwoHosts.inet(SERVER), 7)));
            assertTrue(tooLong.getMessage().contains("message too long"), tooLong.getMessage());
            UnsupportedOperationException tos = assertThrows(UnsupportedOperationException.class,
                    () -> udp.setOption(StandardSocketOptions.IP_TOS, 0x10));
            assertTrue(tos.getMessage().contains("IP_TOS"), tos.getMessage());
        }
    }

    @Test
    void soRcvBufBoundsTheDatagramsQueued() throws Exception {
        try (UdpSocket receiver = server.openUdp(); UdpSocket sender = client.openUdp()) {
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            receiver.bind(new InetSocketAddress(TwoHosts.inet(SERVER), 5353));
            for (int i = 0; i < 10; i++) {
                sender.send(ByteBuffer.allocate(1000), receiver.localAddress());
                settle();
            }
            int received = 0;
            while (receiver.receive(ByteBuffer.allocate(2000)) != null) {
                received++;
            }
            assertEquals(5, received, "queued while under 4096 bytes: 5 of 1000 bytes, the rest dropped");
        }
    }

    @Test
    void procFilesShowTheInterfacesAndTheConnectionTableWithItsOptions() throws Exception {
        Pair p = connect(client.openTcp());
        p.client().setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        p.client().setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 60);
        p.client().setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
        p.client().setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        p.client().write(ByteBuffer.wrap(new byte[100]));
        for (int i = 0; i < 10; i++) { // 100 ms in small steps: past the server's delayed ACK, short of the RTO
            clock.advance(SECOND / 100);
            settle();
        }
        NetworkProcFiles files = new NetworkProcFiles(client);
        String tcp = files.tcp();
        assertTrue(tcp.contains("10.0.0.2:" + p.client().localAddress().getPort() + " 10.0.0.1:8080 ESTABLISHED 0 0 "
                + (256 * 1024) + " " + (256 * 1024) + " false 60/10/3:0 0\n"), tcp);
        assertTrue(new NetworkProcFiles(server).tcp().contains(" ESTABLISHED 0 100 "), "100 bytes unread at the server");
        String interfaces = files.interfaces();
        assertTrue(interfaces.startsWith("iface address mac framesIn"), interfaces);
        assertTrue(interfaces.contains("options.b 10.0.0.2/24 "), interfaces);
    }

    /** SO_LINGER above zero: close waits for the send buffer to drain, up to the linger time on the stack's clock. */
    @Test
    void soLingerAboveZeroMakesCloseWaitUpToTheLingerTime() throws Exception {
        Pair p = connect(client.openTcp());
        p.client().setOption(StandardSocketOptions.SO_LINGER, 3);
        link.setUp(false); // nothing will be acknowledged
        assertEquals(1000, p.client().write(ByteBuffer.allocate(1000)));
        long start = clock.nanoTime();
        java.util.concurrent.atomic.AtomicLong returnedAt = new java.util.concurrent.atomic.AtomicLong(-1);
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                p.client().close();
                returnedAt.set(clock.nanoTime());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (closer.isAlive()) {
            clock.advance(SECOND / 10);
            settle();
            closer.join(5);
        }
        assertTrue(returnedAt.get() - start >= 3 * SECOND,
                "close returned after " + (returnedAt.get() - start) + " ns of a 3 s linger with nothing acknowledged");
    }

    @Test
    void soLingerAboveZeroReturnsOnceTheDataIsAcknowledged() throws Exception {
        Pair p = connect(client.openTcp());
        p.client().setOption(StandardSocketOptions.SO_LINGER, 60);
        assertEquals(1000, p.client().write(ByteBuffer.allocate(1000)));
        java.util.concurrent.atomic.AtomicLong returnedAt = new java.util.concurrent.atomic.AtomicLong(-1);
        long start = clock.nanoTime();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                p.client().close();
                returnedAt.set(clock.nanoTime());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (closer.isAlive()) {
            clock.advance(SECOND / 100);
            settle();
            closer.join(5);
        }
        assertTrue(returnedAt.get() - start < 60 * SECOND, "close waited for the whole linger time");
        ByteBuffer got = ByteBuffer.allocate(2000);
        assertEquals(1000, p.accepted().read(got));
    }
}
