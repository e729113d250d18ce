package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.net.local.LocalNetwork;
import dev.libos.net.socket.TwoHosts;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An echo server written as plain NIO (one selector thread, non-blocking channels, the usual
 * accept/read/write loop with a pending-output buffer per connection) runs against the provider
 * instance, with several blocking clients each sending a seeded random payload.
 */
@Timeout(60)
class NioEchoServerTest {
    private static final int CLIENTS = 8;
    private static final int BYTES_PER_CLIENT = 300_000;

    @Test
    void echoesEveryByteToEveryClient() throws Exception {
        SelectorProvider provider = new LibosSelectorProvider(new LocalNetwork());
        echoAll(provider, provider, Connected.anyLoopbackPort());
    }

    /** The same plain NIO code between two libos TCP/IP stacks on an in-memory link. */
    @Test
    void echoesEveryByteAcrossTwoLibosStacks() throws Exception {
        try (TwoHosts hosts = TwoHosts.start(LinkFaults.NONE.withDelay(20_000, 0), 17)) {
            echoAll(new LibosSelectorProvider(hosts.server()), new LibosSelectorProvider(hosts.client()),
                    new InetSocketAddress(hosts.serverAddress(), 0));
        }
    }

    private static void echoAll(SelectorProvider serverSide, SelectorProvider provider, SocketAddress bind)
            throws Exception {
        long seed = Long.getLong("nio.echo.seed", System.nanoTime());
        System.out.println("NioEchoServerTest seed " + seed + " (rerun with -Dnio.echo.seed=" + seed + ")");
        try (ServerSocketChannel server = serverSide.openServerSocketChannel();
                Selector selector = serverSide.openSelector()) {
            server.bind(bind);
            AtomicReference<Throwable> serverFailure = new AtomicReference<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread serverThread = Thread.ofPlatform().name("echo-selector").start(() -> {
                try {
                    serve(server, selector, running);
                } catch (Throwable t) {
                    serverFailure.set(t);
                }
            });
            SplittableRandom random = new SplittableRandom(seed);
            List<Thread> clients = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                byte[] payload = new byte[BYTES_PER_CLIENT];
                random.nextBytes(payload);
                clients.add(Thread.ofPlatform().start(() -> {
                    try {
                        assertArrayEquals(payload, echo(provider, server, payload));
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread c : clients) {
                c.join();
            }
            running.set(false);
            selector.wakeup();
            serverThread.join();
            if (!failures.isEmpty()) {
                throw new AssertionError("client failed (seed " + seed + ")", failures.get(0));
            }
            assertNull(serverFailure.get());
        }
    }

    /** A client: writes the payload from one thread while this one reads the echo, then half-closes. */
    private static byte[] echo(SelectorProvider provider, ServerSocketChannel server, byte[] payload) throws Exception {
        try (SocketChannel client = provider.openSocketChannel()) {
            client.connect(server.getLocalAddress());
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    client.write(ByteBuffer.wrap(payload));
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ByteBuffer received = ByteBuffer.allocate(payload.length);
            while (client.read(received) >= 0 && received.hasRemaining()) {
                // until every byte came back
            }
            writer.join();
            return received.array();
        }
    }

    /** The server loop: plain NIO, nothing libos-specific. Ends when {@code running} is cleared and the selector woken. */
    private static void serve(ServerSocketChannel server, Selector selector, AtomicBoolean running) throws IOException {
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        while (running.get()) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    SocketChannel conn = server.accept();
                    if (conn != null) {
                        conn.configureBlocking(false);
                        conn.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(4096));
                    }
                    continue;
                }
                SocketChannel conn = (SocketChannel) key.channel();
                ByteBuffer pending = (ByteBuffer) key.attachment();
                if (key.isWritable()) {
                    pending.flip();
                    conn.write(pending);
                    pending.compact();
                }
                if (key.isReadable()) {
                    int n = conn.read(pending);
                    if (n < 0 && pending.position() == 0) {
                        conn.shutdownOutput();
                        conn.close();
                        continue;
                    }
                }
                // Write interest while output is pending; read interest while there is room.
                int ops = (pending.position() > 0 ? SelectionKey.OP_WRITE : 0) | (pending.hasRemaining() ? SelectionKey.OP_READ : 0);
                key.interestOps(ops);
            }
        }
    }
}
