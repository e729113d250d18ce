package dev.libos.examples.echo;

import dev.libos.api.LibOS;
import dev.libos.api.net.Network;
import dev.libos.api.net.SystemNetwork;

/**
 * A TCP echo server on port 7777 of the libos stack the OS brought up at boot. Hosted
 * ({@code java -jar echo.jar}) that is libos-hosted's LAN, whose gateway forwards 127.0.0.1:7777
 * to it (the jar's manifest says {@code Libos-Forwards: 7777:7777};
 * {@code -Dlibos.forwards=HOST:7777,...} replaces it), so {@code nc 127.0.0.1 7777} reaches it.
 */
public final class Echo {
    static final int GUEST_PORT = 7777;

    private Echo() {
    }

    public static void main(String[] args) throws Exception {
        try (EchoServer server = EchoServer.start(LibOS.current(), systemNetwork(), GUEST_PORT)) {
            System.out.println("echo: listening on " + server.address());
            server.join();
        }
    }

    /** The network the boot installed (libos-hosted's or libos-guest's boot hook). */
    static Network systemNetwork() {
        return SystemNetwork.current().orElseThrow(() -> new IllegalStateException(
                "no system network: libos-hosted (hosted) or libos-guest (in a VM) must be on the class path"))
                .sockets();
    }
}
