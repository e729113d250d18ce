package dev.libos.examples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hosted.HostedLan;
import dev.libos.net.gateway.Forward;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An ordinary java.net client on the host talks to the libos echo server through the gateway. */
@Timeout(60)
class EchoTest {
    @Test
    void aHostClientIsEchoedThroughTheGateway() throws Exception {
        long seed = System.nanoTime();
        System.out.println("EchoTest seed " + seed);
        Kernel kernel = TestKernels.boot(2);
        Forward forward = new Forward(0, Echo.GUEST_PORT);
        try (HostedLan lan = HostedLan.start(kernel, List.of(forward));
                EchoServer server = EchoServer.start(kernel, lan.application().sockets(), Echo.GUEST_PORT)) {
            InetSocketAddress host = lan.gateway().hostAddress(forward);
            assertTrue(host.getAddress().isLoopbackAddress());
            byte[] message = new byte[1 << 20];
            new SplittableRandom(seed).nextBytes(message);
            try (Socket client = new Socket(host.getAddress(), host.getPort())) {
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        out.write(message);
                        client.shutdownOutput(); // half-close: the server echoes the rest, then closes
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                byte[] echoed = in.readAllBytes();
                writer.join();
                assertArrayEquals(message, echoed, "seed " + seed);
            }
            assertEquals(1, server.connections());
            assertEquals(message.length, lan.gateway().bytesToGuest());
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    @Test
    void malformedForwardsAreRejectedNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Forward.parseList("7777:7777,abc"));
        assertTrue(e.getMessage().contains("'abc'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Forward.parseList("70000:1"));
        assertEquals(List.of(new Forward(8080, 80), new Forward(0, 22)), Forward.parseList("8080:80, 0:22"));
    }
}
