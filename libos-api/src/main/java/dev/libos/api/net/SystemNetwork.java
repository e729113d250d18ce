package dev.libos.api.net;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link HostNetwork} of this process's libos host, installed once at boot by the boot hook
 * that brings the network up, and read by everything that gives ordinary Java code the libos
 * network (socket factories, the NIO provider, the name resolver).
 */
public final class SystemNetwork {
    private static final AtomicReference<HostNetwork> INSTALLED = new AtomicReference<>();

    private SystemNetwork() {
    }

    /**
     * Makes {@code network} the system network.
     *
     * @throws IllegalStateException when one is installed already (one host per process)
     */
    public static void install(HostNetwork network) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (!INSTALLED.compareAndSet(null, network)) {
            throw new IllegalStateException("a system network is installed already: " + INSTALLED.get());
        }
    }

    /** The installed network, or empty before boot installed one (or when the host has none). */
    public static Optional<HostNetwork> current() {
        return Optional.ofNullable(INSTALLED.get());
    }

    /**
     * Removes {@code network} if it is the installed one (at shutdown, and between tests).
     *
     * @return whether it was installed
     */
    public static boolean uninstall(HostNetwork network) {
        return INSTALLED.compareAndSet(network, null);
    }
}
