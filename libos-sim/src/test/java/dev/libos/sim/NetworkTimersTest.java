package dev.libos.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.ip.IpCounter;
import dev.libos.net.ip.arp.ArpSettings;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The stacks' own timers wake the virtual clock: an ARP request that got no answer is retried at
 * its own deadline (one retry interval later), not at whatever event comes next.
 */
class NetworkTimersTest {
    private static final long MILLI = 1_000_000L;
    private static final long RETRY = ArpSettings.DEFAULTS.retryIntervalNanos();

    @Test
    void anArpRetryHappensAtItsOwnDeadline() {
        long[] receivedAt = {-1};
        try (Simulation sim = Simulation.start(SimulationConfig.of(3, 2))) {
            SimHost sender = sim.host(0);
            SimHost receiver = sim.host(1);
            // The first request is lost: the receiver's cable is out until 100 ms.
            receiver.plugCable(false);
            sim.schedule(100 * MILLI, "cable in", () -> receiver.plugCable(true));
            receiver.start("receiver", () -> {
                try (DatagramSocket socket = new DatagramSocket(9000)) {
                    DatagramPacket packet = new DatagramPacket(new byte[64], 64);
                    socket.receive(packet);
                    receivedAt[0] = System.nanoTime();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start("sender", () -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(hello, hello.length, new InetSocketAddress(receiver.address(), 9000)));
                    // Nothing else is due for a minute: before the ARP timers woke the clock,
                    // the retry (and the datagram it releases) waited for this sleep to end.
                    Thread.sleep(60_000);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            sim.run(120_000 * MILLI);
            assertEquals(java.util.List.of(), sim.failures());
            long requests = sender.stack().sockets().ip().counters().get(IpCounter.ARP_REQUESTS_SENT);
            System.out.printf("datagram received at %.6f s of virtual time, %d ARP requests sent by h0 (%s)%n",
                    receivedAt[0] / 1e9, requests, sim.summary());
            // The retry leaves at RETRY; the reply and the datagram cross the 1 ms (+- 0.1 ms) LAN.
            assertTrue(receivedAt[0] >= RETRY && receivedAt[0] < RETRY + 10 * MILLI,
                    "received at " + receivedAt[0] + " ns, the retry is due at " + RETRY);
        }
    }
}
