package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.local.LocalNetwork;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Channel semantics of the provider's socket, server, datagram and pipe channels. */
@Timeout(30)
class LibosChannelsTest {
    private final LibosSelectorProvider provider = new LibosSelectorProvider(new LocalNetwork());

    @Test
    void blockingConnectAcceptReadWriteAndAddresses() throws Exception {
        try (Connected c = Connected.open(provider)) {
            assertTrue(c.client().isConnected());
            assertFalse(c.client().isConnectionPending());
            assertTrue(c.client().isBlocking() && c.accepted().isBlocking(), "accepted channels start blocking");
            InetSocketAddress serverAddress = (InetSocketAddress) c.server().getLocalAddress();
            assertEquals(serverAddress.getPort(), ((InetSocketAddress) c.client().getRemoteAddress()).getPort());
            assertEquals(((InetSocketAddress) c.client().getLocalAddress()).getPort(),
                    ((InetSocketAddress) c.accepted().getRemoteAddress()).getPort());

            assertEquals(5, c.client().write(ByteBuffer.wrap("hello".getBytes())));
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(5, c.accepted().read(in));
            assertEquals("hello", new String(in.array(), 0, 5));
        }
    }

    @Test
    void aBlockingReadParksUntilBytesArrive() throws Exception {
        try (Connected c = Connected.open(provider)) {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    read.complete(c.accepted().read(ByteBuffer.allocate(8)));
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            });
            awaitWaiting(reader);
            assertFalse(read.isDone());
            c.client().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(3, read.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aBlockingWriteWritesEverythingWhileTheReaderDrains() throws Exception {
        try (Connected c = Connected.open(provider)) {
            byte[] data = new byte[3 * 1024 * 1024 + 7]; // larger than the socket buffers
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31);
            }
            CompletableFuture<Long> written = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    written.complete((long) c.client().write(ByteBuffer.wrap(data)));
                    c.client().shutdownOutput();
                } catch (Throwable e) {
                    written.completeExceptionally(e);
                }
            });
            ByteBuffer received = ByteBuffer.allocate(data.length);
            ByteBuffer chunk = ByteBuffer.allocate(10_000);
            while (c.accepted().read(chunk.clear()) >= 0) {
                received.put(chunk.flip());
            }
            assertEquals(data.length, written.get(10, TimeUnit.SECONDS));
            assertArrayEquals(data, received.array());
        }
    }

    @Test
    void nonBlockingReadReturnsZeroAndNonBlockingConnectFinishesWithOpConnect() throws Exception {
        try (ServerSocketChannel server = provider.openServerSocketChannel();
                SocketChannel client = provider.openSocketChannel();
                Selector selector = provider.openSelector()) {
            server.bind(Connected.anyLoopbackPort(), 0).configureBlocking(false);
            assertNull(server.accept(), "no connection waits");
            SelectionKey acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
            client.configureBlocking(false);
            assertThrows(NoConnectionPendingException.class, client::finishConnect);
            assertThrows(NotYetConnectedException.class, () -> client.read(ByteBuffer.allocate(1)));
            client.register(selector, SelectionKey.OP_CONNECT);
            if (!client.connect(server.getLocalAddress())) {
                assertTrue(client.isConnectionPending());
                selector.select(10_000);
                assertTrue(client.finishConnect());
            }
            assertTrue(client.isConnected());
            assertThrows(AlreadyConnectedException.class, () -> client.connect(server.getLocalAddress()));

            selector.select(10_000);
            assertTrue(acceptKey.isAcceptable());
            try (SocketChannel accepted = server.accept()) {
                accepted.configureBlocking(false);
                assertEquals(0, accepted.read(ByteBuffer.allocate(4)));
            }
        }
    }

    @Test
    void aRefusedConnectThrowsAndClosesTheChannel() throws Exception {
        try (SocketChannel client = provider.openSocketChannel()) {
            assertThrows(ConnectException.class, () -> client.connect(new InetSocketAddress("127.0.0.1", 9)));
            assertFalse(client.isOpen());
        }
    }

    @Test
    void scatterReadAndGatherWrite() throws Exception {
        try (Connected c = Connected.open(provider)) {
            ByteBuffer[] out = {ByteBuffer.wrap("ab".getBytes()), ByteBuffer.allocate(0), ByteBuffer.wrap("cdef".getBytes())};
            assertEquals(6, c.client().write(out, 0, 3));
            c.client().shutdownOutput();
            ByteBuffer[] in = {ByteBuffer.allocate(1), ByteBuffer.allocate(3), ByteBuffer.allocate(10)};
            long n = 0;
            while (n < 6) {
                n += c.accepted().read(in);
            }
            assertEquals("a", new String(in[0].array()));
            assertEquals("bcd", new String(in[1].array()));
            assertEquals("ef", new String(in[2].array(), 0, in[2].position()));
            assertEquals(-1, c.accepted().read(in, 2, 1), "end of stream after the FIN");
            assertThrows(IndexOutOfBoundsException.class, () -> c.accepted().read(in, 2, 2));
        }
    }

    @Test
    void shutdownInputAndOutput() throws Exception {
        try (Connected c = Connected.open(provider)) {
            c.client().shutdownOutput();
            assertThrows(ClosedChannelException.class, () -> c.client().write(ByteBuffer.wrap(new byte[1])));
            assertEquals(-1, c.accepted().read(ByteBuffer.allocate(1)), "the peer sees end of stream");
            c.accepted().shutdownInput();
            assertEquals(-1, c.accepted().read(ByteBuffer.allocate(1)));
            assertTrue(c.accepted().socket().isInputShutdown());
            assertTrue(c.client().socket().isOutputShutdown());
            c.accepted().write(ByteBuffer.wrap(new byte[] {7})); // the other direction still works
            ByteBuffer one = ByteBuffer.allocate(1);
            assertEquals(1, c.client().read(one));
        }
    }

    @Test
    void closeWhileBlockedInReadThrowsAsynchronousClose() throws Exception {
        try (Connected c = Connected.open(provider)) {
            BlockedCall read = BlockedCall.start(() -> c.accepted().read(ByteBuffer.allocate(8)));
            c.accepted().close();
            assertInstanceOf(AsynchronousCloseException.class, read.failure().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void interruptWhileBlockedInAcceptClosesTheChannel() throws Exception {
        try (ServerSocketChannel server = provider.openServerSocketChannel()) {
            assertThrows(NotYetBoundException.class, server::accept);
            server.bind(null);
            assertThrows(AlreadyBoundException.class, () -> server.bind(null));
            BlockedCall accept = BlockedCall.start(server::accept);
            accept.thread().interrupt();
            assertInstanceOf(ClosedByInterruptException.class, accept.failure().get(10, TimeUnit.SECONDS));
            assertFalse(server.isOpen());
        }
    }

    @Test
    void optionsMapToTheSocket() throws Exception {
        try (Connected c = Connected.open(provider)) {
            assertTrue(c.client().supportedOptions().contains(StandardSocketOptions.TCP_NODELAY));
            c.client().setOption(StandardSocketOptions.TCP_NODELAY, true);
            assertTrue(c.client().getOption(StandardSocketOptions.TCP_NODELAY));
            assertTrue(c.client().socket().getTcpNoDelay(), "the adaptor reads the same option");
            c.client().socket().setKeepAlive(true);
            assertTrue(c.client().getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertThrows(UnsupportedOperationException.class, () -> c.client().setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true));
            assertThrows(IllegalArgumentException.class, () -> c.client().setOption(StandardSocketOptions.SO_RCVBUF, -1));
            c.client().close();
            assertThrows(ClosedChannelException.class, () -> c.client().getOption(StandardSocketOptions.TCP_NODELAY));
        }
    }

    @Test
    void socketAdaptorsGiveAddressesAndBlockingStreams() throws Exception {
        try (ServerSocketChannel server = provider.openServerSocketChannel()) {
            server.socket().bind(Connected.anyLoopbackPort(), 5);
            assertTrue(server.socket().isBound());
            int port = server.socket().getLocalPort();
            assertTrue(port > 0);
            try (SocketChannel client = provider.openSocketChannel()) {
                Socket socket = client.socket();
                socket.connect(server.socket().getLocalSocketAddress());
                assertEquals(port, socket.getPort());
                Socket accepted = server.socket().accept();
                assertEquals(socket.getLocalPort(), accepted.getPort());
                assertEquals(client, socket.getChannel());
                OutputStream out = socket.getOutputStream();
                out.write("ping".getBytes());
                InputStream in = accepted.getInputStream();
                assertArrayEquals("ping".getBytes(), in.readNBytes(4));
                accepted.close();
                assertTrue(accepted.isClosed());
                client.configureBlocking(false);
                assertThrows(IllegalBlockingModeException.class, () -> socket.getInputStream().read());
            }
        }
    }

    @Test
    void socketAdaptorsUnboundClosedAndBadArguments() throws Exception {
        ServerSocketChannel server = provider.openServerSocketChannel();
        java.net.ServerSocket serverSocket = server.socket();
        assertNull(serverSocket.getInetAddress());
        assertEquals(-1, serverSocket.getLocalPort());
        assertNull(serverSocket.getLocalSocketAddress());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> serverSocket.setReceiveBufferSize(0));
        assertEquals("receive buffer size must be positive: 0", size.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class, () -> serverSocket.setSoTimeout(-1));
        assertEquals("negative SO_TIMEOUT: -1", timeout.getMessage());
        serverSocket.setSoTimeout(250);
        assertEquals(250, serverSocket.getSoTimeout());
        serverSocket.setReuseAddress(true);
        assertTrue(serverSocket.getReuseAddress());

        SocketChannel client = provider.openSocketChannel();
        Socket socket = client.socket();
        assertNull(socket.getInetAddress());
        assertEquals(0, socket.getPort());
        assertEquals(-1, socket.getLocalPort());
        assertTrue(socket.getLocalAddress().isAnyLocalAddress());
        assertNull(socket.getRemoteSocketAddress());
        assertEquals("send buffer size must be positive: -2",
                assertThrows(IllegalArgumentException.class, () -> socket.setSendBufferSize(-2)).getMessage());
        assertEquals("receive buffer size must be positive: 0",
                assertThrows(IllegalArgumentException.class, () -> socket.setReceiveBufferSize(0)).getMessage());
        assertEquals("negative SO_TIMEOUT: -5",
                assertThrows(IllegalArgumentException.class, () -> socket.setSoTimeout(-5)).getMessage());
        socket.setTrafficClass(0x10); // kept by a local socket: in memory there is no IP header
        assertEquals(0x10, socket.getTrafficClass());
        assertEquals("IP_TOS must be in [0, 255]: 256",
                assertThrows(java.net.SocketException.class, () -> socket.setTrafficClass(256)).getMessage());
        assertEquals("option not supported by a local socket: IP_MULTICAST_TTL", assertThrows(
                UnsupportedOperationException.class,
                () -> socket.setOption(java.net.StandardSocketOptions.IP_MULTICAST_TTL, 1)).getMessage());

        server.close();
        client.close();
        assertNull(serverSocket.getInetAddress());
        assertEquals(-1, serverSocket.getLocalPort());
        assertTrue(serverSocket.isClosed() && socket.isClosed());
        assertEquals("Socket is closed",
                assertThrows(java.net.SocketException.class, serverSocket::getReuseAddress).getMessage());
        assertEquals("Socket is closed",
                assertThrows(java.net.SocketException.class, () -> socket.setKeepAlive(true)).getMessage());
    }

    @Test
    void datagramsBlockingAndNonBlocking() throws Exception {
        try (DatagramChannel a = provider.openDatagramChannel(); DatagramChannel b = provider.openDatagramChannel();
                Selector selector = provider.openSelector()) {
            a.bind(Connected.anyLoopbackPort());
            b.bind(Connected.anyLoopbackPort());
            b.configureBlocking(false);
            assertNull(b.receive(ByteBuffer.allocate(16)));
            SelectionKey key = b.register(selector, SelectionKey.OP_READ);
            assertEquals(3, a.send(ByteBuffer.wrap("abc".getBytes()), b.getLocalAddress()));
            assertEquals(1, selector.select(10_000));
            assertTrue(key.isReadable());
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(((InetSocketAddress) a.getLocalAddress()).getPort(), ((InetSocketAddress) b.receive(in)).getPort());
            assertEquals("abc", new String(in.array(), 0, in.position()));

            a.connect(b.getLocalAddress());
            assertTrue(a.isConnected());
            assertEquals(4, a.write(new ByteBuffer[] {ByteBuffer.wrap("wx".getBytes()), ByteBuffer.wrap("yz".getBytes())}));
            assertThrows(IllegalBlockingModeException.class, () -> b.configureBlocking(true), "b is registered");
        }
    }

    @Test
    void connectedDatagramChannelsReadAndWrite() throws Exception {
        try (DatagramChannel a = provider.openDatagramChannel(); DatagramChannel b = provider.openDatagramChannel()) {
            a.bind(null);
            b.bind(null);
            assertThrows(NotYetConnectedException.class, () -> a.write(ByteBuffer.allocate(1)));
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            assertThrows(AlreadyConnectedException.class, () -> a.send(ByteBuffer.allocate(1), new InetSocketAddress("127.0.0.1", 1)));
            assertEquals(4, a.write(new ByteBuffer[] {ByteBuffer.wrap("wx".getBytes()), ByteBuffer.wrap("yz".getBytes())}));
            ByteBuffer[] in = {ByteBuffer.allocate(3), ByteBuffer.allocate(3)};
            assertEquals(4, b.read(in), "blocking read of one datagram, scattered");
            assertEquals("wxy", new String(in[0].array()));
            assertEquals('z', in[1].get(0));
            assertThrows(UnsupportedOperationException.class, a::socket);
        }
    }

    @Test
    void aBlockingDatagramReceiveParksUntilOneArrives() throws Exception {
        try (DatagramChannel a = provider.openDatagramChannel(); DatagramChannel b = provider.openDatagramChannel()) {
            b.bind(null);
            CompletableFuture<String> got = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().start(() -> {
                try {
                    ByteBuffer in = ByteBuffer.allocate(8);
                    b.receive(in);
                    got.complete(new String(in.array(), 0, in.position()));
                } catch (Throwable e) {
                    got.completeExceptionally(e);
                }
            });
            awaitWaiting(receiver);
            a.send(ByteBuffer.wrap("late".getBytes()), b.getLocalAddress());
            assertEquals("late", got.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void pipeCarriesBytesBlockingAndWithASelector() throws Exception {
        Pipe pipe = provider.openPipe();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source();
                Selector selector = provider.openSelector()) {
            source.configureBlocking(false);
            SelectionKey key = source.register(selector, SelectionKey.OP_READ);
            assertEquals(0, selector.selectNow());
            assertEquals(0, source.read(ByteBuffer.allocate(4)));
            sink.write(new ByteBuffer[] {ByteBuffer.wrap("pi".getBytes()), ByteBuffer.wrap("pe".getBytes())});
            assertEquals(1, selector.select(10_000));
            assertTrue(key.isReadable());
            ByteBuffer in = ByteBuffer.allocate(8);
            assertEquals(4, source.read(in));
            assertEquals("pipe", new String(in.array(), 0, 4));
            sink.close();
            selector.selectedKeys().clear();
            assertEquals(1, selector.select(10_000), "end of stream is readable");
            assertEquals(-1, source.read(in));
        }
    }

    @Test
    void blockingPipeEndsWaitForEachOtherAndAnInterruptClosesTheBlockedEnd() throws Exception {
        Pipe pipe = provider.openPipe();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            byte[] data = new byte[1024 * 1024 + 3]; // more than the pipe buffers: the sink must wait
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7);
            }
            CompletableFuture<Long> written = new CompletableFuture<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    written.complete(sink.write(new ByteBuffer[] {ByteBuffer.wrap(data)}));
                } catch (Throwable e) {
                    written.completeExceptionally(e);
                }
            });
            awaitWaiting(writer);
            assertFalse(written.isDone(), "the sink waits for room");
            ByteBuffer received = ByteBuffer.allocate(data.length);
            while (received.hasRemaining()) {
                assertTrue(source.read(received) > 0, "a blocking read returns bytes");
            }
            assertEquals(data.length, written.get(10, TimeUnit.SECONDS));
            assertArrayEquals(data, received.array());

            BlockedCall read = BlockedCall.start(() -> source.read(ByteBuffer.allocate(8)));
            read.thread().interrupt();
            assertInstanceOf(ClosedByInterruptException.class, read.failure().get(10, TimeUnit.SECONDS));
            assertFalse(source.isOpen());
            assertThrows(ClosedChannelException.class, () -> source.read(ByteBuffer.allocate(1)));
        }
    }

    /** A channel call made on its own thread, which has parked by the time {@link #start} returns. */
    record BlockedCall(Thread thread, CompletableFuture<Throwable> failure) {
        interface Call {
            void run() throws Exception;
        }

        /** @return the call; its {@code failure} completes with null if the call returns */
        static BlockedCall start(Call call) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().start(() -> {
                try {
                    call.run();
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            awaitWaiting(thread);
            return new BlockedCall(thread, failure);
        }
    }

    /** Spins (no sleep) until {@code t} parks; if it parks for another reason first the test still holds. */
    static void awaitWaiting(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.isAlive()) {
            Thread.onSpinWait();
        }
    }
}
