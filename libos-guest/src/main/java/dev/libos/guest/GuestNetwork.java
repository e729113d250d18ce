package dev.libos.guest;

import dev.libos.net.host.HostStack;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The network the guest's boot brought up ({@link NetworkBootHook}): the host's stack (also
 * installed as {@code SystemNetwork}) and the cards it runs on, with their drivers' counters.
 */
public final class GuestNetwork {
    private static final AtomicReference<GuestNetwork> CURRENT = new AtomicReference<>();

    private final HostStack host;
    private final List<GuestNics.Nic> nics;

    GuestNetwork(HostStack host, List<GuestNics.Nic> nics) {
        this.host = host;
        this.nics = List.copyOf(nics);
    }

    /** The guest's network, once the boot brought it up (empty hosted, or before the hook ran). */
    public static Optional<GuestNetwork> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    static void publish(GuestNetwork network) {
        CURRENT.set(network);
    }

    static void withdraw(GuestNetwork network) {
        CURRENT.compareAndSet(network, null);
    }

    /** The host's stack. */
    public HostStack host() {
        return host;
    }

    /** Number of cards libos drives. */
    public int cards() {
        return nics.size();
    }

    /** Each card's driver statistics, for a console line ({@code VirtioNetCounters[...]}). */
    public String driverCounters() {
        return nics.stream().map(GuestNics.Nic::counters).collect(Collectors.joining("; "));
    }
}
