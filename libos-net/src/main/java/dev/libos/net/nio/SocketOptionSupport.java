package dev.libos.net.nio;

import dev.libos.api.net.SocketEndpoint;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which standard options a socket has: found by asking it, since the API has no list. */
final class SocketOptionSupport {
    private static final List<SocketOption<?>> CANDIDATES = List.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS);

    private SocketOptionSupport() {
    }

    /** The options {@code endpoint} answers for; empty once it is closed. */
    static Set<SocketOption<?>> probe(SocketEndpoint endpoint) {
        Set<SocketOption<?>> supported = new LinkedHashSet<>();
        for (SocketOption<?> option : CANDIDATES) {
            try {
                endpoint.getOption(option);
                supported.add(option);
            } catch (UnsupportedOperationException | IOException notThisOne) {
                // not supported (or closed): left out
            }
        }
        return Collections.unmodifiableSet(supported);
    }
}
