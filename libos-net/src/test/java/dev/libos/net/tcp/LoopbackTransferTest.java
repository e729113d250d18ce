package dev.libos.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two TcpLayers wired through a {@link FakeNetwork} with seeded loss, duplication, reordering
 * and corruption transfer data both ways and close cleanly: every byte arrives once and in order.
 */
@Timeout(60)
class LoopbackTransferTest {
    static final Ipv4Address CLIENT = Ipv4Address.of(10, 0, 0, 1);
    static final Ipv4Address SERVER = Ipv4Address.of(10, 0, 0, 2);
    static final int PORT = 80;

    /** One end's application: sends its bytes, reads the peer's, half-closes when done. */
    static final class Endpoint {
        final byte[] outgoing;
        final byte[] incoming;
        int sentBytes;
        int receivedBytes;
        boolean shut;
        boolean eof;
        TcpConnection connection;
        final MemorySegment readBuffer = MemorySegment.ofArray(new byte[64 * 1024]);

        Endpoint(byte[] outgoing, int expectIncoming) {
            this.outgoing = outgoing;
            this.incoming = new byte[expectIncoming];
        }

        void step() {
            if (connection == null) {
                return;
            }
            while (sentBytes < outgoing.length) {
                int n = connection.send(MemorySegment.ofArray(outgoing).asSlice(sentBytes,
                        Math.min(outgoing.length - sentBytes, 32 * 1024)));
                if (n <= 0) {
                    break;
                }
                sentBytes += n;
            }
            if (sentBytes == outgoing.length && !shut) {
                connection.shutdownOutput();
                shut = true;
            }
            while (!eof) {
                int n = connection.receive(readBuffer);
                if (n == TcpConnection.END_OF_STREAM) {
                    eof = true;
                } else if (n == 0) {
                    break;
                } else {
                    if (receivedBytes + n > incoming.length) {
                        throw new AssertionError("more bytes than sent: " + (receivedBytes + n));
                    }
                    MemorySegment.copy(readBuffer, 0, MemorySegment.ofArray(incoming), receivedBytes, n);
                    receivedBytes += n;
                }
            }
        }
    }

    static long transfer(long seed, int bytesEachWay, double loss, double dup, double corrupt,
                         Supplier<CongestionControl> cc) {
        System.out.println("LoopbackTransferTest: seed " + seed + " (re-run with -Dlibos.net.test.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        FakeNetwork net = new FakeNetwork(random.nextLong(), loss, dup, corrupt, 1_000_000L, 400_000L);
        TcpConfig config = TcpConfig.builder().congestionControl(cc).minRtoNanos(50_000_000L).build();
        TcpLayer client = new TcpLayer(net.outputFor(CLIENT), config, new SplittableRandom(random.nextLong()), 16,
                1 << 24);
        TcpLayer server = new TcpLayer(net.outputFor(SERVER), config, new SplittableRandom(random.nextLong()), 16,
                1 << 24);
        net.attach(CLIENT, client);
        net.attach(SERVER, server);
        byte[] up = new byte[bytesEachWay];
        byte[] down = new byte[bytesEachWay];
        random.nextBytes(up);
        random.nextBytes(down);
        TcpListener listener = server.listen(PORT, 8, 8);
        Endpoint c = new Endpoint(up, down.length);
        Endpoint s = new Endpoint(down, up.length);
        long now = 0;
        net.setNow(now);
        c.connection = client.connect(SERVER, PORT, now);
        assertNotNull(c.connection);
        long steps = 0;
        while (true) {
            if (++steps > 5_000_000) {
                throw new AssertionError("no progress; client " + c.connection + " server " + s.connection);
            }
            net.setNow(now);
            if (s.connection == null) {
                s.connection = listener.accept();
            }
            c.step();
            s.step();
            client.poll(now);
            server.poll(now);
            net.deliver(now);
            boolean done = c.eof && s.eof && client.connectionCount() == 0 && server.connectionCount() == 0;
            if (done) {
                break;
            }
            long next = Math.min(net.nextDeliveryNanos(), Math.min(client.nextDeadlineNanos(), server.nextDeadlineNanos()));
            if (next == TcpConnection.NO_DEADLINE) {
                throw new AssertionError("stuck: client " + c.connection + " " + c.connection.closeReason() + " "
                        + c.connection.counters() + " server " + s.connection + " " + server.counters());
            }
            now = Math.max(now, next);
        }
        assertEquals(up.length, s.receivedBytes);
        assertEquals(down.length, c.receivedBytes);
        assertArrayEquals(up, s.incoming, "client to server bytes");
        assertArrayEquals(down, c.incoming, "server to client bytes");
        assertEquals(TcpCloseReason.NORMAL, c.connection.closeReason());
        assertEquals(TcpCloseReason.NORMAL, s.connection.closeReason());
        assertFalse(c.connection.holdsBuffers(), "client released its buffers");
        assertFalse(s.connection.holdsBuffers(), "server released its buffers");
        assertEquals(0, client.committedBufferBytes());
        assertEquals(0, server.committedBufferBytes());
        TcpCounters cc1 = client.connectionCounters();
        TcpCounters sc1 = server.connectionCounters();
        System.out.printf("  %s: %d bytes each way in %.3f s simulated; net sent %d lost %d dup %d corrupt %d%n",
                config.newCongestionControl().name(), bytesEachWay, now / 1e9, net.sent, net.lost, net.duplicated,
                net.corrupted);
        System.out.println("  client " + cc1 + "\n  server " + sc1 + "\n  client layer " + client.counters());
        return now;
    }

    static long seed() {
        String p = System.getProperty("libos.net.test.seed");
        return p != null ? Long.parseLong(p) : System.nanoTime();
    }

    @Test
    void cleanNetworkCubic() {
        long t = transfer(seed(), 4 << 20, 0, 0, 0, CubicCongestionControl::new);
        assertTrue(t > 0);
    }

    @Test
    void faultyNetworkCubic() {
        transfer(seed(), 3 << 20, 0.01, 0.005, 0.005, CubicCongestionControl::new);
    }

    @Test
    void faultyNetworkNewReno() {
        transfer(seed(), 2 << 20, 0.02, 0.01, 0.01, NewRenoCongestionControl::new);
    }

    @Test
    void heavyLoss() {
        transfer(seed(), 256 << 10, 0.15, 0.02, 0.02, CubicCongestionControl::new);
    }
}
