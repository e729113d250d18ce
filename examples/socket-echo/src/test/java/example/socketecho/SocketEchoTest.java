package example.socketecho;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpSocket;
import dev.libos.jvm.net.testing.TestLan;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The unmodified echo server on the system host, echoing clients of the peer host at once. */
@Timeout(60)
class SocketEchoTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(20);

    @Test
    void peerClientsAreEchoedConcurrently() throws Exception {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("SocketEchoTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        System.setProperty("port", "7007");
        try (TestLan lan = TestLan.start(seed)) {
            Thread main = lan.runMain(SocketEcho::main);
            lan.awaitListening(7007);
            List<byte[]> messages = new ArrayList<>();
            List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] message = new byte[100_000 + random.nextInt(100_000)];
                random.nextBytes(message);
                messages.add(message);
                CompletableFuture<byte[]> echoed = new CompletableFuture<>();
                echoes.add(echoed);
                lan.startLibosThread("peer-client-" + i, () -> echoed.complete(exchange(lan, message)));
            }
            for (int i = 0; i < messages.size(); i++) {
                assertArrayEquals(messages.get(i), echoes.get(i).get(40, TimeUnit.SECONDS), "client " + i + ", seed " + seed);
            }
            main.interrupt(); // the blocked accept ends ("Closed by interrupt"), and with it main
            main.join();
        }
    }

    private static byte[] exchange(TestLan lan, byte[] message) {
        try (TcpSocket socket = lan.peer().openTcp()) {
            BlockingSockets.connect(socket, new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), 7007), TIMEOUT);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    BlockingSockets.writeFully(socket, ByteBuffer.wrap(message), TIMEOUT);
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            ByteBuffer in = ByteBuffer.allocate(message.length + 1);
            while (in.hasRemaining() && BlockingSockets.read(socket, in, TIMEOUT) >= 0) {
                // until the server closes
            }
            writer.join();
            return Arrays.copyOf(in.array(), in.position());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
