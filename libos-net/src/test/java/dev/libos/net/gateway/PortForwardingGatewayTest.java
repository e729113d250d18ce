package dev.libos.net.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.socket.TwoHosts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Host clients over real loopback sockets through the gateway (on the client host of
 * {@link TwoHosts}) to a server on the other libos stack: resets pass both ways, and every
 * connection releases its sockets, threads and buffer reservations however it ends.
 */
@Timeout(60)
class PortForwardingGatewayTest {
    private static final int GUEST_PORT = 7;
    private TwoHosts hosts;
    private TcpServerSocket listener;
    private PortForwardingGateway gateway;
    private InetSocketAddress hostAddress;
    /** How each server-side connection ended: "eof", "reset" or another exception's text. */
    private final BlockingQueue<String> serverOutcomes = new ArrayBlockingQueue<>(1024);

    /** ECHO echoes until end of stream; RESET_AFTER_FIRST_READ reads one byte and closes with the rest unread. */
    private enum Mode { ECHO, RESET_AFTER_FIRST_READ }

    @BeforeEach
    void start() {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("PortForwardingGatewayTest seed " + seed);
        hosts = TwoHosts.start(LinkFaults.NONE, seed);
    }

    private void serve(Mode mode) throws IOException {
        listenAndForward(128);
        startAccepting(mode);
    }

    private void listenAndForward(int backlog) throws IOException {
        listener = hosts.server().openTcpServer();
        listener.bind(new InetSocketAddress(GUEST_PORT), backlog);
        Forward forward = new Forward(0, GUEST_PORT);
        gateway = PortForwardingGateway.start(hosts.client(), hosts.serverAddress(), List.of(forward));
        hostAddress = gateway.hostAddress(forward);
    }

    private void startAccepting(Mode mode) {
        Thread.ofPlatform().daemon().start(() -> {
            while (listener.isOpen()) {
                try {
                    TcpSocket connection = BlockingSockets.accept(listener, 0);
                    Thread.ofVirtual().start(() -> handle(connection, mode));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void handle(TcpSocket connection, Mode mode) {
        ByteBuffer buffer = ByteBuffer.allocate(mode == Mode.ECHO ? 4096 : 1);
        String outcome = "eof";
        try (connection) {
            while (BlockingSockets.read(connection, buffer.clear(), 0) >= 0) {
                if (mode == Mode.RESET_AFTER_FIRST_READ) {
                    // Closing with unread data resets the connection (RFC 9293 section 3.10.4).
                    outcome = "reset-sent";
                    return;
                }
                BlockingSockets.writeFully(connection, buffer.flip(), 0);
            }
            connection.shutdownOutput();
        } catch (SocketException e) {
            outcome = e.getMessage().contains("reset") ? "reset" : e.toString();
        } catch (IOException e) {
            outcome = e.toString();
        } finally {
            serverOutcomes.add(outcome);
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (listener != null) {
            listener.close();
        }
        hosts.close();
    }

    @Test
    void clientsThatResetAfterTheirEchoLeaveNothingBehind() throws Exception {
        serve(Mode.ECHO);
        int clients = 40;
        byte[] message = "ping".getBytes();
        for (int i = 0; i < clients; i++) {
            try (Socket client = new Socket(hostAddress.getAddress(), hostAddress.getPort())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(message);
                assertArrayEquals(message, client.getInputStream().readNBytes(message.length));
                client.setSoLinger(true, 0); // close with RST
            }
        }
        awaitReleased(clients);
        assertEquals(clients, gateway.resetsToGuest());
        for (int i = 0; i < clients; i++) {
            assertEquals("reset", serverOutcomes.poll(10, TimeUnit.SECONDS), "server connection " + i);
        }
    }

    @Test
    void aResetFromTheLibosPeerReachesTheHostClient() throws Exception {
        serve(Mode.RESET_AFTER_FIRST_READ);
        try (Socket client = new Socket(hostAddress.getAddress(), hostAddress.getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("hello".getBytes());
            InputStream in = client.getInputStream();
            SocketException e = assertThrows(SocketException.class, in::read);
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
        assertEquals("reset-sent", serverOutcomes.poll(10, TimeUnit.SECONDS));
        awaitReleased(1);
        assertEquals(1, gateway.resetsToHost());
    }

    @Test
    void aResetFromTheHostClientReachesTheLibosPeer() throws Exception {
        serve(Mode.ECHO);
        try (Socket client = new Socket(hostAddress.getAddress(), hostAddress.getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write('x');
            assertEquals('x', client.getInputStream().read());
            client.setSoLinger(true, 0);
        }
        assertEquals("reset", serverOutcomes.poll(20, TimeUnit.SECONDS), "the libos peer saw the reset");
        awaitReleased(1);
    }

    @Test
    void cleanClosesAndHalfClosesLeaveNothingBehind() throws Exception {
        serve(Mode.ECHO);
        int clients = 20;
        for (int i = 0; i < clients; i++) {
            try (Socket client = new Socket(hostAddress.getAddress(), hostAddress.getPort())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(new byte[1000]);
                client.shutdownOutput();
                assertEquals(1000, client.getInputStream().readAllBytes().length);
            }
        }
        awaitReleased(clients);
        for (int i = 0; i < clients; i++) {
            assertEquals("eof", serverOutcomes.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFullAcceptQueueResetsNewHostClientsAtOnceAndRecoversWhenDrained() throws Exception {
        listenAndForward(2); // an accept queue of two, and nobody accepting yet
        List<Socket> queued = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket(hostAddress.getAddress(), hostAddress.getPort());
                s.setSoTimeout(10_000);
                s.getOutputStream().write('q');
                queued.add(s);
            }
            await(() -> hosts.server().withStack(() -> hosts.server().tcp().counters()
                    .get(dev.libos.net.tcp.TcpCounter.CONNECTIONS_ESTABLISHED)) >= 2, "two connections queued");
            try (Socket refused = new Socket(hostAddress.getAddress(), hostAddress.getPort())) {
                refused.setSoTimeout(10_000);
                // The reset may come before the write or after it: either call reports it.
                SocketException e = assertThrows(SocketException.class, () -> {
                    refused.getOutputStream().write('x');
                    refused.getInputStream().read();
                });
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
            }
            startAccepting(Mode.ECHO); // resources free: the queued clients are served, new ones too
            for (Socket s : queued) {
                assertEquals('q', s.getInputStream().read());
            }
            try (Socket fresh = new Socket(hostAddress.getAddress(), hostAddress.getPort())) {
                fresh.setSoTimeout(10_000);
                fresh.getOutputStream().write('y');
                assertEquals('y', fresh.getInputStream().read());
            }
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
        awaitReleased(4);
        assertTrue(hosts.server().withStack(() -> hosts.server().tcp().counters()
                .get(dev.libos.net.tcp.TcpCounter.ACCEPT_QUEUE_OVERFLOWS)) >= 1);
    }

    /** Waits (bounded) until the gateway holds no connection and neither stack holds buffer memory. */
    private void awaitReleased(int connections) throws InterruptedException {
        assertEquals(connections, gateway.connections());
        await(() -> gateway.activeConnections() == 0, "gateway bridges still open: " + gateway.activeConnections());
        for (StackNetwork stack : List.of(hosts.server(), hosts.client())) {
            await(() -> stack.withStack(() -> stack.tcp().committedBufferBytes()) == 0,
                    "buffer bytes still reserved: " + stack.withStack(() -> stack.tcp().committedBufferBytes()));
        }
    }

    private static void await(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.sleep(10);
        }
    }
}
