package dev.libos.net.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * One forwarded port: connections to 127.0.0.1:{@code hostPort} on the host reach
 * {@code guestPort} of the libos host (like QEMU's {@code hostfwd}). Host port 0 picks a free one.
 */
public record Forward(int hostPort, int guestPort) {
    public Forward {
        if (hostPort < 0 || hostPort > 65535) {
            throw new IllegalArgumentException("host port must be in [0, 65535]: " + hostPort);
        }
        if (guestPort < 1 || guestPort > 65535) {
            throw new IllegalArgumentException("guest port must be in [1, 65535]: " + guestPort);
        }
    }

    /**
     * Parses {@code HOSTPORT:GUESTPORT[,HOSTPORT:GUESTPORT...]} (the {@code libos.forwards} syntax).
     *
     * @throws IllegalArgumentException naming the entry that is malformed
     */
    public static List<Forward> parseList(String text) {
        List<Forward> forwards = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return forwards;
        }
        for (String entry : text.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("forward must be HOSTPORT:GUESTPORT: '" + entry.trim() + "'");
            }
            try {
                forwards.add(new Forward(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("forward must be HOSTPORT:GUESTPORT: '" + entry.trim() + "'");
            }
        }
        return forwards;
    }
}
