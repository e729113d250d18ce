package dev.libos.examples.echo;

import dev.libos.api.LibOS;
import dev.libos.net.gateway.Forward;
import java.util.List;

/**
 * A TCP echo server on the libos stack, run hosted: the stack sits on an in-memory link behind
 * the port-forwarding gateway, so {@code nc 127.0.0.1 7777} reaches it. The host port comes from
 * {@code -Decho.port} (default 7777); {@code -Dlibos.forwards=HOST:GUEST,...} replaces the
 * forwards altogether. The server listens on guest port 7777.
 */
public final class Echo {
    static final int GUEST_PORT = 7777;

    private Echo() {
    }

    public static void main(String[] args) throws Exception {
        LibOS os = LibOS.current();
        List<Forward> forwards = forwards();
        try (HostedLan lan = HostedLan.start(os, forwards);
                EchoServer server = EchoServer.start(os, lan.guest(), GUEST_PORT)) {
            for (Forward forward : forwards) {
                System.out.printf("echo: libos %s:%d reachable at %s%n", HostedLan.GUEST, forward.guestPort(),
                        lan.gateway().hostAddress(forward));
            }
            server.join();
        }
    }

    static List<Forward> forwards() {
        String explicit = System.getProperty("libos.forwards");
        if (explicit != null && !explicit.isBlank()) {
            return Forward.parseList(explicit);
        }
        String port = System.getProperty("echo.port", Integer.toString(GUEST_PORT));
        try {
            return List.of(new Forward(Integer.parseInt(port.trim()), GUEST_PORT));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("echo.port must be a port number: '" + port + "'");
        }
    }
}
