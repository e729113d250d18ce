package dev.libos.jvm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpSocket;
import dev.libos.jvm.net.testing.PeerHttp;
import dev.libos.jvm.net.testing.TestLan;
import dev.libos.net.nio.LibosSelectorProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After the boot hook ran with a system network installed, NIO opened by anyone, on any thread,
 * is libos's: a platform thread's {@code ServerSocketChannel.open()}, a platform thread blocked in
 * a selector, the JDK's HttpServer and HttpClient; {@link PlatformSockets} still gives the host's.
 */
@Timeout(60)
class NioOnSystemNetworkTest {
    private static TestLan lan;

    @BeforeAll
    static void boot() {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("NioOnSystemNetworkTest seed " + seed);
        lan = TestLan.start(seed);
    }

    @AfterAll
    static void shutdown() throws Exception {
        lan.close();
    }

    @Test
    void theJvmsSelectorProviderIsLibosAndTheHookIsIdempotent() {
        assertInstanceOf(LibosSelectorProvider.class, SelectorProvider.provider());
        assertTrue(JvmNetwork.isInstalled());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertFalse(JvmNetwork.install(new PrintStream(out, true, StandardCharsets.UTF_8)), "installed once per JVM");
    }

    @Test
    void aPlatformThreadsServerSocketChannelIsOnLibosAndBlocksInALibosSelector() throws Exception {
        assertFalse(Thread.currentThread().isVirtual(), "this test runs on a platform thread");
        try (ServerSocketChannel server = ServerSocketChannel.open(); Selector selector = Selector.open()) {
            assertInstanceOf(LibosSelectorProvider.class, server.provider());
            server.bind(new InetSocketAddress(0));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Thread peer = lan.startLibosThread("peer-client", () -> {
                try (TcpSocket socket = lan.peer().openTcp()) {
                    BlockingSockets.connect(socket, new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), port),
                            TimeUnit.SECONDS.toNanos(10));
                    BlockingSockets.writeFully(socket, ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), 0);
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(1, selector.select(20_000), "the platform thread woke from the libos selector");
            try (SocketChannel accepted = server.accept()) {
                assertEquals(TestLan.address(TestLan.PEER_ADDRESS), ((InetSocketAddress) accepted.getRemoteAddress()).getAddress());
                accepted.configureBlocking(true);
                ByteBuffer buffer = ByteBuffer.allocate(16);
                while (accepted.read(buffer) >= 0 && buffer.position() < 4) {
                    // until the 4 bytes are in
                }
                assertEquals("ping", new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
            }
            peer.join();
        }
    }

    @Test
    void platformSocketsGivesTheHostsProvider() throws Exception {
        SelectorProvider host = PlatformSockets.provider();
        assertTrue(host.getClass().getName().startsWith("sun.nio.ch."), host.getClass().getName());
        try (ServerSocketChannel server = host.openServerSocketChannel().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = host.openSocketChannel()) {
            client.connect(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer one = ByteBuffer.allocate(1);
                accepted.read(one);
                assertEquals(42, one.get(0), "a real loopback connection of the host OS");
            }
        }
        assertTrue(PlatformSockets.available());
    }

    @Test
    void theJdkHttpServerServesThePeer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "hello from the JDK HttpServer".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            for (int i = 0; i < 3; i++) {
                PeerHttp.Response response = PeerHttp.get(lan.peer(),
                        new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), port), "system", "/");
                assertEquals(200, response.status());
                assertEquals("hello from the JDK HttpServer", response.body());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpClientFetchesFromThePeerByAHostsEntryName() throws Exception {
        lan.addHost("peer.lan.test", TestLan.PEER_ADDRESS);
        try (AutoCloseable peerServer = PeerHttp.serve(lan, lan.peer(), 8090, "hello from the peer");
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://peer.lan.test:8090/x"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello from the peer", response.body());
        }
    }
}
