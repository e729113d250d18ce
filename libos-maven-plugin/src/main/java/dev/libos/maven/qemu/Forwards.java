package dev.libos.maven.qemu;

import java.util.ArrayList;
import java.util.List;

/**
 * Host-to-guest TCP port forwards, written {@code HOSTPORT:GUESTPORT,...}; QEMU's user-mode
 * network listens on 127.0.0.1 only.
 */
public final class Forwards {
    /**
     * One forward.
     *
     * @param hostPort  port on 127.0.0.1
     * @param guestPort port in the guest
     */
    public record Forward(int hostPort, int guestPort) {
        /** QEMU's {@code hostfwd} value. */
        public String hostfwd() {
            return "tcp:127.0.0.1:" + hostPort + "-:" + guestPort;
        }
    }

    private Forwards() {
    }

    /**
     * Parses {@code spec} (blank or null: none).
     *
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    public static List<Forward> parse(String spec) {
        List<Forward> forwards = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return forwards;
        }
        for (String item : spec.split(",")) {
            String[] ports = item.trim().split(":");
            if (ports.length != 2) {
                throw new IllegalArgumentException("forwards: expected HOSTPORT:GUESTPORT, got '" + item.trim() + "'");
            }
            forwards.add(new Forward(port(ports[0], item), port(ports[1], item)));
        }
        return forwards;
    }

    private static int port(String text, String item) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("forwards: port must be 1-65535 in '" + item.trim() + "'");
    }
}
