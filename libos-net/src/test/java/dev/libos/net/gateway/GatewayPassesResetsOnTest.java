package dev.libos.net.gateway;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.net.socket.TwoHosts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10: a libos server that closed an accepted connection with the request unread (so TCP
 * resets it) left the host's client waiting, because the gateway did not pass the reset on. The
 * host client here is a real JDK socket on 127.0.0.1; before the fix its read never returned.
 */
@Timeout(30)
class GatewayPassesResetsOnTest {
    private static final long TIMEOUT_NANOS = 10_000_000_000L;

    @Test
    void aGuestThatResetsTheConnectionResetsTheHostClient() throws Exception {
        try (TwoHosts hosts = TwoHosts.start(LinkFaults.NONE, 41);
                TcpServerSocket app = hosts.server().openTcpServer()) {
            app.bind(new InetSocketAddress(hosts.serverAddress(), 8090), 4);
            Forward forward = new Forward(0, 8090);
            try (PortForwardingGateway gateway = PortForwardingGateway.start(hosts.client(), hosts.serverAddress(),
                    List.of(forward)); SocketChannel curl = SocketChannel.open(gateway.hostAddress(forward))) {
                curl.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                TcpSocket accepted = BlockingSockets.accept(app, TIMEOUT_NANOS);
                BlockingSockets.await(accepted, Readiness.READ, TIMEOUT_NANOS);
                accepted.close(); // the request unread: RST (RFC 9293 3.10.4), as a failing server does
                ByteBuffer reply = ByteBuffer.allocate(64);
                IOException reset = assertThrows(IOException.class, () -> {
                    while (curl.read(reply.clear()) >= 0) {
                        // nothing is expected before the reset
                    }
                    throw new AssertionError("an orderly end instead of the reset");
                });
                assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
            }
        }
    }
}
