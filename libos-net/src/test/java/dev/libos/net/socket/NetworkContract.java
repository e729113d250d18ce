package dev.libos.net.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import dev.libos.api.net.LibosSocketOptions;
import java.io.IOException;
import java.net.StandardSocketOptions;
import jdk.net.ExtendedSocketOptions;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Network} must do (STYLE.md habit 6): subclassed per implementation in a few
 * lines. Blocking steps run on platform threads; each test has a timeout.
 */
@Timeout(60)
public abstract class NetworkContract {
    private static final long TIMEOUT_NANOS = 20_000_000_000L;

    /**
     * The two sides of a test: servers open sockets on {@code server}, clients on {@code client}
     * (the same network for an in-memory one, two hosts for a stack), and clients reach servers at
     * {@code serverAddress}.
     */
    public record Hosts(Network server, Network client, InetAddress serverAddress) {
    }

    /** Fresh hosts for one test. */
    protected abstract Hosts hosts() throws IOException;

    /** Releases what {@link #hosts()} made; called after each test. */
    protected void releaseHosts() throws Exception {
    }

    private Hosts hosts;

    @AfterEach
    final void tearDownHosts() throws Exception {
        if (hosts != null) {
            hosts = null;
            releaseHosts();
        }
    }

    private Hosts current() throws IOException {
        if (hosts == null) {
            hosts = hosts();
        }
        return hosts;
    }

    /** The server-side address with an ephemeral port. */
    protected InetSocketAddress anyPort() throws IOException {
        return new InetSocketAddress(current().serverAddress(), 0);
    }

    private Network serverNet() throws IOException {
        return current().server();
    }

    private Network clientNet() throws IOException {
        return current().client();
    }

    @Test
    void echoesOverAConnectionAndSeesEndOfStreamAfterHalfClose() throws Exception {
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.bind(anyPort(), 4);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread echo = Thread.ofPlatform().start(() -> {
                try (TcpSocket conn = BlockingSockets.accept(server, TIMEOUT_NANOS)) {
                    ByteBuffer buf = ByteBuffer.allocate(1024);
                    while (BlockingSockets.read(conn, buf.clear(), TIMEOUT_NANOS) >= 0) {
                        BlockingSockets.writeFully(conn, buf.flip(), TIMEOUT_NANOS);
                    }
                    conn.shutdownOutput();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            assertTrue(client.isConnected());
            assertEquals(server.localAddress().getPort(), client.remoteAddress().getPort());
            BlockingSockets.writeFully(client, ByteBuffer.wrap("hello libos".getBytes()), TIMEOUT_NANOS);
            client.shutdownOutput();
            ByteBuffer reply = ByteBuffer.allocate(64);
            while (BlockingSockets.read(client, reply, TIMEOUT_NANOS) >= 0) {
                // until the server's FIN
            }
            assertEquals("hello libos", new String(reply.array(), 0, reply.position()));
            echo.join();
            assertNull(failure.get());
            assertThrows(IOException.class, () -> client.write(ByteBuffer.wrap(new byte[1])));
        }
    }

    @Test
    void movesEightMebibytesIntactWithAWriterFasterThanTheReader() throws Exception {
        long seed = System.nanoTime();
        System.out.println(getClass().getSimpleName() + " transfer seed " + seed);
        byte[] data = new byte[8 << 20];
        new SplittableRandom(seed).nextBytes(data);
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.bind(anyPort(), 1);
            Thread writer = Thread.ofPlatform().start(() -> {
                try (TcpSocket conn = BlockingSockets.accept(server, TIMEOUT_NANOS)) {
                    ByteBuffer src = ByteBuffer.wrap(data);
                    SplittableRandom sizes = new SplittableRandom(seed);
                    while (src.hasRemaining()) {
                        int chunk = Math.min(src.remaining(), 1 + sizes.nextInt(200_000));
                        BlockingSockets.writeFully(conn, src.slice(src.position(), chunk), TIMEOUT_NANOS);
                        src.position(src.position() + chunk);
                    }
                    conn.shutdownOutput();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(7000);
            long total = 0;
            int n;
            while ((n = BlockingSockets.read(client, buf.clear(), TIMEOUT_NANOS)) >= 0) {
                received.update(buf.array(), 0, n);
                total += n;
            }
            writer.join();
            assertEquals(data.length, total, "seed " + seed);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), received.digest(), "seed " + seed);
        }
    }

    /** Full duplex: one thread blocked writing and another blocked reading the same socket. */
    @Test
    void aReaderAndAWriterMayBlockOnOneSocketAtOnce() throws Exception {
        byte[] data = new byte[4 << 20];
        new SplittableRandom(7).nextBytes(data);
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.bind(anyPort(), 1);
            Thread echo = Thread.ofPlatform().start(() -> {
                try (TcpSocket conn = BlockingSockets.accept(server, TIMEOUT_NANOS)) {
                    ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
                    while (BlockingSockets.read(conn, buf.clear(), TIMEOUT_NANOS) >= 0) {
                        BlockingSockets.writeFully(conn, buf.flip(), TIMEOUT_NANOS);
                    }
                    conn.shutdownOutput();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    BlockingSockets.writeFully(client, ByteBuffer.wrap(data), TIMEOUT_NANOS);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            ByteBuffer received = ByteBuffer.allocate(data.length);
            while (BlockingSockets.read(client, received, TIMEOUT_NANOS) >= 0 && received.hasRemaining()) {
                // the writer blocks on the same socket meanwhile
            }
            writer.join();
            echo.join();
            assertArrayEquals(data, received.array());
        }
    }

    /** The zero-copy calls move the same bytes as read and write, through views of the socket's buffers. */
    @Test
    void movesBytesInPlaceWithoutCopiesThroughTheApplication() throws Exception {
        byte[] data = new byte[1 << 20];
        new SplittableRandom(11).nextBytes(data);
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.bind(anyPort(), 1);
            Thread writer = Thread.ofPlatform().start(() -> {
                try (TcpSocket conn = BlockingSockets.accept(server, TIMEOUT_NANOS)) {
                    int[] sent = {0};
                    while (sent[0] < data.length) {
                        int n = conn.writeInPlace(data.length - sent[0], space -> {
                            java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(data),
                                    sent[0], space, 0, space.byteSize());
                            return (int) space.byteSize();
                        });
                        if (n == 0) {
                            BlockingSockets.await(conn, Readiness.WRITE, TIMEOUT_NANOS);
                        }
                        sent[0] += n;
                    }
                    conn.shutdownOutput();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            ByteBuffer received = ByteBuffer.allocate(data.length);
            while (true) {
                int n = client.readInPlace(view -> {
                    int take = (int) Math.min(view.byteSize(), 1000); // use part of the view: the rest stays
                    received.put(view.asSlice(0, take).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    return take;
                });
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    BlockingSockets.await(client, Readiness.READ, TIMEOUT_NANOS);
                }
            }
            writer.join();
            assertArrayEquals(data, received.array());
        }
    }

    @Test
    void refusesAConnectionToAPortNobodyListensOn() throws Exception {
        int closedPort;
        try (TcpServerSocket probe = serverNet().openTcpServer()) {
            probe.bind(anyPort(), 1);
            closedPort = probe.localAddress().getPort();
        }
        try (TcpSocket client = clientNet().openTcp()) {
            InetSocketAddress target = new InetSocketAddress(anyPort().getAddress(), closedPort);
            ConnectException e = assertThrows(ConnectException.class,
                    () -> BlockingSockets.connect(client, target, TIMEOUT_NANOS));
            assertTrue(e.getMessage().contains(Integer.toString(closedPort)), e.getMessage());
        }
    }

    @Test
    void aBoundPortCannotBeBoundTwice() throws Exception {
        try (TcpServerSocket first = serverNet().openTcpServer(); TcpServerSocket second = serverNet().openTcpServer()) {
            first.bind(anyPort(), 1);
            assertThrows(BindException.class, () -> second.bind(first.localAddress(), 1));
        }
    }

    @Test
    void readinessFollowsTheConnectionAndTheListenerHearsOfIt() throws Exception {
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.bind(anyPort(), 2);
            AtomicInteger serverSignals = new AtomicInteger();
            server.addReadinessListener(ops -> serverSignals.incrementAndGet());
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            BlockingSockets.await(server, Readiness.ACCEPT, TIMEOUT_NANOS);
            assertTrue(serverSignals.get() > 0);
            TcpSocket conn = server.accept();
            assertNotNull(conn);
            assertNull(server.accept());
            assertEquals(Readiness.WRITE, client.readyOps() & (Readiness.READ | Readiness.WRITE));
            client.write(ByteBuffer.wrap(new byte[] {7}));
            BlockingSockets.await(conn, Readiness.READ, TIMEOUT_NANOS);
            ByteBuffer one = ByteBuffer.allocate(1);
            assertEquals(1, conn.read(one));
            assertEquals(0, conn.read(one.clear()), "nothing more to read yet");
            client.close();
            BlockingSockets.await(conn, Readiness.READ, TIMEOUT_NANOS);
            assertEquals(-1, conn.read(one.clear()));
            conn.close();
            assertThrows(ClosedChannelException.class, () -> conn.read(ByteBuffer.allocate(1)));
        }
    }

    @Test
    void sendsAndReceivesDatagrams() throws Exception {
        try (UdpSocket a = clientNet().openUdp(); UdpSocket b = serverNet().openUdp()) {
            a.bind(null);
            b.bind(anyPort());
            assertNull(b.receive(ByteBuffer.allocate(16)));
            assertEquals(5, a.send(ByteBuffer.wrap("ping!".getBytes()), b.localAddress()));
            ByteBuffer buf = ByteBuffer.allocate(16);
            InetSocketAddress from = BlockingSockets.receive(b, buf, TIMEOUT_NANOS);
            assertEquals(a.localAddress().getPort(), from.getPort());
            assertEquals("ping!", new String(buf.array(), 0, buf.position()));
        }
    }

    // ---- socket options (Linux's meaning; see libos-net/README.md "Socket options") ----------

    /** The options every TCP socket of every implementation has. */
    static final java.util.List<java.net.SocketOption<?>> TCP_OPTIONS = java.util.List.of(
            StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE, ExtendedSocketOptions.TCP_KEEPIDLE,
            ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT,
            ExtendedSocketOptions.TCP_QUICKACK, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_LINGER, LibosSocketOptions.SO_OOBINLINE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.IP_TOS);

    /**
     * Sets every TCP option and reads it back, with Linux's defaults first on a {@code fresh}
     * socket. A connected one grows its receive buffer: the window already offered never shrinks.
     */
    private static void setsAndReadsBackEveryTcpOption(TcpSocket socket, boolean fresh) throws IOException {
        assertTrue(socket.supportedOptions().containsAll(TCP_OPTIONS), socket.supportedOptions().toString());
        if (fresh) {
            assertEquals(false, socket.getOption(StandardSocketOptions.SO_KEEPALIVE), "off by default (RFC 1122 4.2.3.6)");
            assertEquals(-1, socket.getOption(StandardSocketOptions.SO_LINGER));
            assertEquals(7200, socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(75, socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
            assertEquals(9, socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
        }
        int receiveBuffer = fresh ? 32768 : 512 * 1024;
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 30);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 4);
        socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
        socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        socket.setOption(StandardSocketOptions.SO_LINGER, 7);
        socket.setOption(LibosSocketOptions.SO_OOBINLINE, true);
        socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        socket.setOption(StandardSocketOptions.IP_TOS, 0);
        assertEquals(true, socket.getOption(StandardSocketOptions.TCP_NODELAY));
        assertEquals(true, socket.getOption(StandardSocketOptions.SO_KEEPALIVE));
        assertEquals(30, socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
        assertEquals(5, socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
        assertEquals(4, socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
        assertEquals(true, socket.getOption(ExtendedSocketOptions.TCP_QUICKACK));
        assertEquals(65536, socket.getOption(StandardSocketOptions.SO_SNDBUF));
        assertEquals(receiveBuffer, socket.getOption(StandardSocketOptions.SO_RCVBUF));
        assertEquals(7, socket.getOption(StandardSocketOptions.SO_LINGER));
        assertEquals(true, socket.getOption(LibosSocketOptions.SO_OOBINLINE));
        assertEquals(true, socket.getOption(StandardSocketOptions.SO_REUSEADDR));
        assertEquals(true, socket.getOption(StandardSocketOptions.SO_REUSEPORT));
        assertEquals(0, socket.getOption(StandardSocketOptions.IP_TOS));
        // Sizes are rounded into range (4 KiB at least), SO_LINGER clamped as the JDK does.
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 0);
        assertEquals(4096, socket.getOption(StandardSocketOptions.SO_SNDBUF));
        socket.setOption(StandardSocketOptions.SO_LINGER, 70_000);
        assertEquals(65535, socket.getOption(StandardSocketOptions.SO_LINGER));
        socket.setOption(StandardSocketOptions.SO_LINGER, -5);
        assertEquals(-1, socket.getOption(StandardSocketOptions.SO_LINGER));
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, false);
    }

    @Test
    void everyTcpOptionIsAcceptedBeforeAndAfterConnectAndOnAcceptedSockets() throws Exception {
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            setsAndReadsBackEveryTcpOption(client, true);
            server.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
            assertEquals(65536, server.getOption(StandardSocketOptions.SO_RCVBUF));
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            assertEquals(true, server.getOption(StandardSocketOptions.SO_REUSEADDR));
            server.bind(anyPort(), 4);
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            try (TcpSocket accepted = BlockingSockets.accept(server, TIMEOUT_NANOS)) {
                setsAndReadsBackEveryTcpOption(accepted, false);
                setsAndReadsBackEveryTcpOption(client, false);
                // The connection still carries bytes after all that.
                BlockingSockets.writeFully(client, ByteBuffer.wrap(new byte[] {1, 2, 3}), TIMEOUT_NANOS);
                ByteBuffer got = ByteBuffer.allocate(3);
                while (got.hasRemaining()) {
                    BlockingSockets.read(accepted, got, TIMEOUT_NANOS);
                }
                assertArrayEquals(new byte[] {1, 2, 3}, got.array());
            }
        }
    }

    @Test
    void badOptionValuesAndMissingOptionsFailNamingTheOption() throws Exception {
        try (TcpSocket client = clientNet().openTcp(); TcpServerSocket server = serverNet().openTcpServer();
                UdpSocket udp = clientNet().openUdp()) {
            assertEquals("TCP_KEEPIDLE must be in [1, 32767]: 0", assertThrows(IllegalArgumentException.class,
                    () -> client.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 0)).getMessage());
            assertEquals("TCP_KEEPCOUNT must be in [1, 127]: 128", assertThrows(IllegalArgumentException.class,
                    () -> client.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 128)).getMessage());
            assertEquals("SO_SNDBUF must be in [0, 2147483647]: -1", assertThrows(IllegalArgumentException.class,
                    () -> client.setOption(StandardSocketOptions.SO_SNDBUF, -1)).getMessage());
            assertEquals("null value for SO_KEEPALIVE", assertThrows(IllegalArgumentException.class,
                    () -> client.setOption(StandardSocketOptions.SO_KEEPALIVE, null)).getMessage());
            UnsupportedOperationException multicast = assertThrows(UnsupportedOperationException.class,
                    () -> client.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
            assertTrue(multicast.getMessage().contains("IP_MULTICAST_TTL"), multicast.getMessage());
            UnsupportedOperationException keepAliveOnListener = assertThrows(UnsupportedOperationException.class,
                    () -> server.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertTrue(keepAliveOnListener.getMessage().contains("SO_KEEPALIVE"), keepAliveOnListener.getMessage());
            UnsupportedOperationException udpKeepAlive = assertThrows(UnsupportedOperationException.class,
                    () -> udp.setOption(StandardSocketOptions.SO_KEEPALIVE, true));
            assertTrue(udpKeepAlive.getMessage().contains("SO_KEEPALIVE"), udpKeepAlive.getMessage());
            for (java.net.SocketOption<?> option : client.supportedOptions()) {
                client.getOption(option); // every listed option reads
            }
            client.close();
            assertThrows(ClosedChannelException.class, () -> client.getOption(StandardSocketOptions.SO_SNDBUF));
        }
    }

    @Test
    void udpOptionsSetAndReadBack() throws Exception {
        try (UdpSocket a = clientNet().openUdp(); UdpSocket b = serverNet().openUdp()) {
            for (java.net.SocketOption<?> option : java.util.List.of(StandardSocketOptions.SO_SNDBUF,
                    StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
                    StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS)) {
                assertTrue(a.supportedOptions().contains(option), option.name());
            }
            assertTrue(!a.supportedOptions().contains(StandardSocketOptions.IP_MULTICAST_LOOP));
            a.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertEquals(true, a.getOption(StandardSocketOptions.SO_BROADCAST));
            a.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            assertEquals(8192, a.getOption(StandardSocketOptions.SO_RCVBUF));
            a.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            assertEquals(8192, a.getOption(StandardSocketOptions.SO_SNDBUF));
            b.bind(anyPort());
            a.bind(null);
            assertEquals(3, a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), b.localAddress()));
            assertEquals(a.localAddress().getPort(), BlockingSockets.receive(b, ByteBuffer.allocate(8), TIMEOUT_NANOS)
                    .getPort());
        }
    }

    /** SO_LINGER 0: close resets the connection (socket(7)); the peer sees a reset, never an orderly end. */
    @Test
    void soLingerZeroResetsThePeer() throws Exception {
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.bind(anyPort(), 4);
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            TcpSocket accepted = BlockingSockets.accept(server, TIMEOUT_NANOS);
            accepted.setOption(StandardSocketOptions.SO_LINGER, 0);
            accepted.close();
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            ByteBuffer buf = ByteBuffer.allocate(16);
            while (true) {
                assertTrue(System.nanoTime() - deadline < 0, "no reset seen");
                try {
                    int n = BlockingSockets.read(client, buf.clear(), 500_000_000L);
                    assertTrue(n != -1, "an orderly end (FIN) instead of a reset");
                } catch (java.net.SocketTimeoutException lost) {
                    // The RST was lost on a lossy link: data now draws a fresh one from the peer.
                    try {
                        client.write(ByteBuffer.wrap(new byte[] {1}));
                    } catch (java.net.SocketException reset) {
                        assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
                        return;
                    }
                } catch (java.net.SocketException reset) {
                    assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
                    return;
                }
            }
        }
    }

    /** SO_LINGER above zero: close hands the queued bytes over before the FIN, none lost. */
    @Test
    void soLingerAboveZeroDeliversEverythingBeforeTheEnd() throws Exception {
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.bind(anyPort(), 4);
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            TcpSocket accepted = BlockingSockets.accept(server, TIMEOUT_NANOS);
            accepted.setOption(StandardSocketOptions.SO_LINGER, 10);
            byte[] data = new byte[100_000];
            new SplittableRandom(7).nextBytes(data);
            BlockingSockets.writeFully(accepted, ByteBuffer.wrap(data), TIMEOUT_NANOS);
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    accepted.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ByteBuffer got = ByteBuffer.allocate(data.length + 1);
            while (BlockingSockets.read(client, got, TIMEOUT_NANOS) >= 0) {
                // until the FIN
            }
            closer.join();
            assertEquals(data.length, got.position());
            assertArrayEquals(data, java.util.Arrays.copyOf(got.array(), data.length));
        }
    }

    /** SO_SNDBUF bounds what a writer can queue while the reader does not read. */
    @Test
    void soSndBufBoundsTheBytesAWriterCanQueue() throws Exception {
        try (TcpServerSocket server = serverNet().openTcpServer(); TcpSocket client = clientNet().openTcp()) {
            server.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            server.bind(anyPort(), 4);
            client.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            BlockingSockets.connect(client, server.localAddress(), TIMEOUT_NANOS);
            try (TcpSocket accepted = BlockingSockets.accept(server, TIMEOUT_NANOS)) {
                int sendBuffer = client.getOption(StandardSocketOptions.SO_SNDBUF);
                int peerReceiveBuffer = accepted.getOption(StandardSocketOptions.SO_RCVBUF);
                assertEquals(8192, sendBuffer);
                long written = 0;
                ByteBuffer chunk = ByteBuffer.allocate(100_000);
                while (true) {
                    written += client.write(chunk.clear());
                    assertTrue(written <= (long) sendBuffer + peerReceiveBuffer,
                            written + " bytes queued with SO_SNDBUF " + sendBuffer + " and the peer's SO_RCVBUF "
                                    + peerReceiveBuffer);
                    try {
                        BlockingSockets.await(client, Readiness.WRITE, 300_000_000L);
                    } catch (java.net.SocketTimeoutException full) {
                        break; // nothing moves any more: both buffers are full
                    }
                }
                assertTrue(written >= sendBuffer, "the send buffer filled: " + written);
            }
        }
    }
}
