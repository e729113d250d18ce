package dev.libos.jvm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import dev.libos.jvm.net.testing.TestLan;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** java.net's Socket, ServerSocket and DatagramSocket on the system network, through the factories. */
@Timeout(60)
class JavaNetSocketsTest {
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);
    private static TestLan lan;
    private static long seed;

    @BeforeAll
    static void boot() {
        seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("JavaNetSocketsTest seed " + seed);
        lan = TestLan.start(seed);
    }

    @AfterAll
    static void shutdown() throws Exception {
        lan.close();
    }

    private static InetSocketAddress system(int port) {
        return new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), port);
    }

    /** Runs {@code body} on a libos thread and rethrows what it threw. */
    private static void onLibos(ThrowingRunnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = lan.startLibosThread("test-body", () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        } else if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aServerSocketWithAVirtualThreadPerConnectionEchoesPeerClients() throws Exception {
        int clients = 4;
        byte[][] messages = new byte[clients][];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < clients; i++) {
            messages[i] = new byte[200_000 + i];
            random.nextBytes(messages[i]);
        }
        ConcurrentLinkedQueue<Boolean> onLibosCpus = new ConcurrentLinkedQueue<>();
        ServerSocket server = new ServerSocket(0);
        int port = server.getLocalPort();
        Thread acceptor = lan.startLibosThread("acceptor", () -> {
            try {
                while (true) {
                    Socket connection = server.accept();
                    Thread.ofVirtual().start(() -> {
                        onLibosCpus.add(lan.kernel().threads().isLibosThread(Thread.currentThread()));
                        try (connection) {
                            connection.getInputStream().transferTo(connection.getOutputStream());
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
                }
            } catch (SocketException closed) {
                // the test closed the server
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            byte[] message = messages[i];
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            echoes.add(echoed);
            lan.startLibosThread("peer-" + i, () -> {
                try (TcpSocket socket = lan.peer().openTcp()) {
                    BlockingSockets.connect(socket, system(port), TEN_SECONDS);
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try {
                            BlockingSockets.writeFully(socket, ByteBuffer.wrap(message), TEN_SECONDS);
                            socket.shutdownOutput();
                        } catch (Exception e) {
                            echoed.completeExceptionally(e);
                        }
                    });
                    ByteBuffer in = ByteBuffer.allocate(message.length + 1);
                    while (BlockingSockets.read(socket, in, TEN_SECONDS) >= 0 && in.hasRemaining()) {
                        // until end of stream
                    }
                    writer.join();
                    echoed.complete(java.util.Arrays.copyOf(in.array(), in.position()));
                } catch (Exception e) {
                    echoed.completeExceptionally(e);
                }
            });
        }
        for (int i = 0; i < clients; i++) {
            assertArrayEquals(messages[i], echoes.get(i).get(30, TimeUnit.SECONDS), "client " + i + ", seed " + seed);
        }
        assertEquals(List.of(true, true, true, true), List.copyOf(onLibosCpus),
                "Thread.ofVirtual() from a libos thread runs on libos CPUs");
        server.close();
        acceptor.join();
        assertTrue(server.isClosed());
    }

    @Test
    void aSocketConnectsToAPeerServerAndTimesOutReadsWithSoTimeout() throws Exception {
        TcpServerSocket peerServer = lan.peer().openTcpServer();
        peerServer.bind(new InetSocketAddress(7100), 4);
        Thread peer = lan.startLibosThread("peer-server", () -> {
            try (TcpSocket connection = BlockingSockets.accept(peerServer, TEN_SECONDS)) {
                BlockingSockets.writeFully(connection, ByteBuffer.wrap(new byte[] {1, 2, 3}), TEN_SECONDS);
                ByteBuffer one = ByteBuffer.allocate(1);
                BlockingSockets.read(connection, one, TEN_SECONDS); // until the client is done
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        onLibos(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(TestLan.address(TestLan.PEER_ADDRESS), 7100), 10_000);
                assertEquals(7100, socket.getPort());
                assertEquals(TestLan.address(TestLan.SYSTEM_ADDRESS), socket.getLocalAddress());
                socket.setTcpNoDelay(true);
                assertTrue(socket.getTcpNoDelay());
                socket.setSoTimeout(200);
                assertEquals(200, socket.getSoTimeout());
                InputStream in = socket.getInputStream();
                assertArrayEquals(new byte[] {1, 2, 3}, in.readNBytes(3));
                assertThrows(SocketTimeoutException.class, in::read, "nothing more comes: SO_TIMEOUT");
                socket.getOutputStream().write(9); // still usable after the timeout
            }
        });
        peer.join();
        peerServer.close();
    }

    @Test
    void acceptTimesOutAndACloseWakesABlockedAccept() throws Exception {
        onLibos(() -> {
            try (ServerSocket server = new ServerSocket(0)) {
                server.setSoTimeout(100);
                assertThrows(SocketTimeoutException.class, server::accept);
                server.setSoTimeout(0);
                Thread closer = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(100);
                        server.close();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertThrows(SocketException.class, server::accept);
                closer.join();
            }
        });
    }

    @Test
    void aPortInUseIsABindExceptionAndRefusalAConnectException() throws Exception {
        try (ServerSocket first = new ServerSocket(7200)) {
            assertThrows(BindException.class, () -> new ServerSocket(7200));
        }
        onLibos(() -> assertThrows(java.net.ConnectException.class,
                () -> new Socket(TestLan.address(TestLan.PEER_ADDRESS), 7299).close()));
    }

    @Test
    void whatLibosCannotDoFailsNamingTheApi() throws Exception {
        TcpServerSocket peerServer = lan.peer().openTcpServer();
        peerServer.bind(new InetSocketAddress(7300), 4);
        onLibos(() -> {
            try (Socket socket = new Socket(TestLan.address(TestLan.PEER_ADDRESS), 7300)) {
                SocketException urgent = assertThrows(SocketException.class, () -> socket.sendUrgentData(1));
                assertTrue(urgent.getMessage().contains("sendUrgentData"), urgent.getMessage());
                SocketException option = assertThrows(SocketException.class,
                        () -> socket.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
                assertTrue(option.getMessage().contains("IP_MULTICAST_TTL"), option.getMessage());
                assertFalse(socket.supportedOptions().contains(StandardSocketOptions.IP_MULTICAST_TTL));
                assertTrue(socket.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY));
            }
        });
        peerServer.close();
        try (MulticastSocket multicast = new MulticastSocket(0)) {
            SocketException e = assertThrows(SocketException.class,
                    () -> multicast.joinGroup(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 239, 1, 2, 3}), 0), null));
            assertTrue(e.getMessage().contains("MulticastSocket.joinGroup"), e.getMessage());
            SocketException ttl = assertThrows(SocketException.class, () -> multicast.setTimeToLive(4));
            assertTrue(ttl.getMessage().contains("MulticastSocket.setTimeToLive"), ttl.getMessage());
        }
    }

    /**
     * Each java.net option call reaches the libos socket: what the libos socket supports works and
     * reads back through java.net; what it does not fails naming the option and the call.
     */
    @Test
    void optionsPassThroughToTheLibosSocketOrFailNamingThemselves() throws Exception {
        TcpServerSocket peerServer = lan.peer().openTcpServer();
        peerServer.bind(new InetSocketAddress(7500), 4);
        onLibos(() -> {
            try (Socket socket = new Socket(TestLan.address(TestLan.PEER_ADDRESS), 7500);
                    TcpSocket probe = lan.system().openTcp()) {
                check(probe, StandardSocketOptions.SO_KEEPALIVE, "SO_KEEPALIVE (Socket.setKeepAlive)",
                        () -> socket.setKeepAlive(true), () -> assertTrue(socket.getKeepAlive()));
                check(probe, StandardSocketOptions.SO_SNDBUF, "SO_SNDBUF (setSendBufferSize)",
                        () -> socket.setSendBufferSize(65536), () -> assertTrue(socket.getSendBufferSize() > 0));
                check(probe, StandardSocketOptions.SO_RCVBUF, "SO_RCVBUF (setReceiveBufferSize)",
                        () -> socket.setReceiveBufferSize(65536), () -> assertTrue(socket.getReceiveBufferSize() > 0));
                check(probe, StandardSocketOptions.SO_LINGER, "SO_LINGER (Socket.setSoLinger)",
                        () -> socket.setSoLinger(true, 3), () -> assertEquals(3, socket.getSoLinger()));
                check(probe, StandardSocketOptions.IP_TOS, "IP_TOS (setTrafficClass)",
                        () -> socket.setTrafficClass(0), () -> assertEquals(0, socket.getTrafficClass()));
                socket.setReuseAddress(true);
                assertTrue(socket.getReuseAddress());
            }
        });
        peerServer.close();
    }

    private static void check(TcpSocket probe, java.net.SocketOption<?> option, String named, ThrowingRunnable set,
            ThrowingRunnable readBack) throws Exception {
        boolean supported;
        try {
            probe.getOption(option);
            supported = true;
        } catch (UnsupportedOperationException e) {
            supported = false;
        }
        if (supported) {
            set.run();
            readBack.run();
        } else {
            SocketException e = assertThrows(SocketException.class, set::run);
            assertTrue(e.getMessage().startsWith(named + " is not supported by libos sockets"), e.getMessage());
        }
        System.out.println(option.name() + (supported ? ": passed through" : ": fails naming itself"));
    }

    @Test
    void aDatagramSocketExchangesWithThePeerAndTimesOut() throws Exception {
        UdpSocket peer = lan.peer().openUdp();
        peer.bind(new InetSocketAddress(7400));
        Thread echo = lan.startLibosThread("peer-udp-echo", () -> {
            try {
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                InetSocketAddress from = BlockingSockets.receive(peer, buffer, TEN_SECONDS);
                buffer.flip();
                peer.send(buffer, from);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        onLibos(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                assertTrue(socket.getLocalPort() > 0);
                byte[] payload = "datagram over libos".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(payload, payload.length, TestLan.address(TestLan.PEER_ADDRESS), 7400));
                socket.setSoTimeout(10_000);
                DatagramPacket received = new DatagramPacket(new byte[100], 100);
                socket.receive(received);
                assertEquals("datagram over libos", new String(received.getData(), 0, received.getLength(),
                        java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals(TestLan.address(TestLan.PEER_ADDRESS), received.getAddress());
                assertEquals(7400, received.getPort());
                socket.setSoTimeout(100);
                assertThrows(SocketTimeoutException.class, () -> socket.receive(new DatagramPacket(new byte[10], 10)));
            }
        });
        echo.join();
        peer.close();
    }
}
