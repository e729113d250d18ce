package dev.libos.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.net.LinkFaults;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three hosts talk over java.net sockets (routed to each calling thread's host) across a LAN
 * that loses, duplicates and reorders frames. The same seed gives the same trace.
 */
class HostsTest {
    private static final long SECOND = 1_000_000_000L;
    static final LinkFaults LOSSY = SimulationConfig.DEFAULT_LINK.withLoss(0.05).withDuplication(0.02)
            .withReordering(0.05, 3_000_000);

    record Outcome(String hash, List<String> replies, long steps, double speed) {
    }

    static Outcome echo(long seed) {
        List<String> replies = new ArrayList<>();
        try (Simulation sim = Simulation.start(SimulationConfig.of(seed, 3).withLinkFaults(LOSSY))) {
            SimHost server = sim.host(0);
            server.start("echo", () -> {
                try (ServerSocket listener = new ServerSocket(7000)) {
                    for (int c = 0; c < 2; c++) {
                        Socket s = listener.accept();
                        server.start("conn" + c, () -> serve(s));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int h = 1; h <= 2; h++) {
                SimHost client = sim.host(h);
                client.start("client", () -> {
                    try (Socket s = new Socket()) {
                        Thread.sleep(5);
                        s.connect(new InetSocketAddress(server.address(), 7000));
                        DataOutputStream out = new DataOutputStream(s.getOutputStream());
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        for (int i = 0; i < 20; i++) {
                            out.writeUTF(client.name() + ":" + i);
                            String reply = in.readUTF();
                            synchronized (replies) {
                                replies.add(reply);
                            }
                            Thread.sleep(100);
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            sim.runUntil(() -> replies.size() == 40, 600 * SECOND);
            assertEquals(List.of(), sim.failures());
            assertEquals(List.of(), sim.nondeterminism());
            return new Outcome(sim.trace().hash(), List.copyOf(replies), sim.steps(), sim.speed());
        }
    }

    private static void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                out.writeUTF("echo " + in.readUTF());
            }
        } catch (IOException e) {
            // the client closed
        }
    }

    @Test
    void socketsBetweenHostsAreDeterministicUnderFrameFaults() {
        long seed = Long.getLong("libos.sim.seed", 11L);
        Outcome first = echo(seed);
        Outcome second = echo(seed);
        System.out.printf("echo seed %d: %d steps, %.1f simulated s per wall s, %s%n", seed, first.steps(), first.speed(), first.hash());
        assertEquals(40, first.replies().size());
        assertTrue(first.replies().contains("echo h2:19"));
        assertEquals(first.hash(), second.hash());
        assertEquals(first.replies(), second.replies());
        Outcome other = echo(seed + 1);
        assertTrue(!other.hash().equals(first.hash()), "another seed, another trace");
    }
}
