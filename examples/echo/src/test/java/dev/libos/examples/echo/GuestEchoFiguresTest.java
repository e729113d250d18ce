package dev.libos.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hosted.HostedLan;
import dev.libos.net.gateway.Forward;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stack figures GuestEcho prints (and bin/vm-soak-test parses) follow the stack's connections. */
@Timeout(60)
class GuestEchoFiguresTest {
    private static final Pattern FIGURES = Pattern.compile("stack live (\\d+) time-wait (\\d+) reserved (\\d+)");

    @Test
    void figuresCountAnOpenConnectionAndReturnToZero() throws Exception {
        Kernel kernel = TestKernels.boot(2);
        Forward forward = new Forward(0, Echo.GUEST_PORT);
        try (HostedLan lan = HostedLan.start(kernel, List.of(forward));
                EchoServer server = EchoServer.start(kernel, lan.application().sockets(), Echo.GUEST_PORT)) {
            var stack = lan.application().sockets();
            assertEquals("stack live 0 time-wait 0 reserved 0", GuestEcho.stackFigures(stack));
            InetSocketAddress host = lan.gateway().hostAddress(forward);
            try (Socket client = new Socket(host.getAddress(), host.getPort())) {
                client.getOutputStream().write('x');
                assertEquals('x', client.getInputStream().read());
                Matcher open = FIGURES.matcher(GuestEcho.stackFigures(stack));
                assertTrue(open.matches(), open.toString());
                assertEquals(1, Long.parseLong(open.group(1)));
                assertTrue(Long.parseLong(open.group(3)) > 0, "an open connection reserves buffers");
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            Matcher closed = FIGURES.matcher(GuestEcho.stackFigures(stack));
            while (!(closed.matches() && closed.group(1).equals("0") && closed.group(3).equals("0"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
                closed = FIGURES.matcher(GuestEcho.stackFigures(stack));
            }
            assertTrue(closed.matches() && closed.group(1).equals("0") && closed.group(3).equals("0"),
                    "after the close: " + GuestEcho.stackFigures(stack));
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    @Test
    void aNetworkThatIsNotALibosStackSaysSo() {
        assertTrue(GuestEcho.stackFigures(null).startsWith("stack figures unavailable"));
    }
}
