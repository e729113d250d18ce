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
import java.io.IOException;
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
}
