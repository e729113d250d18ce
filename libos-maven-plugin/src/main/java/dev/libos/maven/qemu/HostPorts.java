package dev.libos.maven.qemu;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks, before QEMU starts, that the host side of every forward can be had: QEMU's own report of
 * a taken port ("Could not set up host forwarding rule") does not say that the port is in use.
 * The check binds 127.0.0.1:PORT the way QEMU's slirp does (address reuse on, so a port with only
 * TIME_WAIT connections counts as free) and lets go at once; a process that takes the port in
 * between still gets QEMU's message.
 */
public final class HostPorts {
    private HostPorts() {
    }

    /**
     * @throws IllegalArgumentException "host port N (libos.forwards) is already in use", or when two
     *                                  forwards share a host port
     */
    public static void requireFree(List<Forwards.Forward> forwards) {
        Set<Integer> seen = new HashSet<>();
        for (Forwards.Forward forward : forwards) {
            if (!seen.add(forward.hostPort())) {
                throw new IllegalArgumentException("host port " + forward.hostPort() + " (libos.forwards) is forwarded twice");
            }
            if (!free(forward.hostPort())) {
                throw new IllegalArgumentException("host port " + forward.hostPort() + " (libos.forwards) is already in use"
                        + " on 127.0.0.1: stop what listens there or forward another host port, e.g. -Dlibos.forwards="
                        + "PORT:" + forward.guestPort());
            }
        }
    }

    /** True when 127.0.0.1:{@code port} can be bound now. */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
