package dev.libos.guest;

import dev.libos.api.LibOS;
import dev.libos.api.device.NetDevice;
import dev.libos.api.net.HostNetwork.InterfaceInfo;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.spi.BootHook;
import dev.libos.net.host.Addressing;
import dev.libos.net.host.HostStack;
import dev.libos.net.host.HostStackBuilder;
import dev.libos.net.socket.NetworkProcFiles;
import dev.libos.net.wire.MacAddress;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The guest boot's network step ({@link BootHook}, in a guest only, after storage): brings
 * Linux's {@code lo} up ({@link LinuxLoopback}), attaches every network card libos has a driver
 * for ({@link GuestNics}), gives the first one its address (DHCP unless {@code libos.net.address}
 * is set, see {@link NetworkSettings}), runs the stack on libos CPU 0 and installs it as the
 * {@link SystemNetwork}, so that the application and the JVM-wide socket adapters find it. A
 * guest without a card boots with libos's loopback only, and says so once. An image built with
 * {@code libos.network=linux} gets Linux's own driver and stack instead ({@link LinuxNetworkUp}).
 */
public final class NetworkBootHook implements BootHook {
    /** After storage (0), before the JVM-wide adapters that read the system network (1000). */
    static final int ORDER = 100;
    static final String PREFIX = "libos: network: ";
    /** The line a guest without a card prints, naming the run goal's settings that add one. */
    static final String NO_DEVICE = PREFIX + "no network device, loopback only; the run goal adds one with "
            + "-Dlibos.forwards=HOSTPORT:GUESTPORT (on QEMU user networking) or -Dlibos.tap=TAP, "
            + "the card's model chosen by -Dlibos.nic=virtio|vmxnet3";

    private volatile GuestNetwork network;

    @Override
    public String name() {
        return "network";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public void run(LibOS os, Environment environment, PrintStream console) throws Exception {
        NetworkSettings settings = NetworkSettings.from(System.getProperties());
        String loFailure = LinuxLoopback.bringUp();
        if (loFailure != null) {
            console.println(PREFIX + "Linux's lo stays down (java.net.NetworkInterface lists nothing): " + loFailure);
        }
        if (LinuxNetworkUp.requested()) {
            // libos.network=linux: Linux's driver and TCP/IP, no libos stack and no SystemNetwork.
            LinuxNetworkUp.bringUp(settings.address(), console, System.nanoTime());
            return;
        }
        GuestNetwork up = bringUp(os, GuestNics.attach(console), settings, console);
        network = up;
        GuestNetwork.publish(up);
        SystemNetwork.install(up.host());
        // libos's /proc (libos://guest/proc/...) shows the network: interface counters and the
        // TCP connection table, rendered at each read.
        GuestStorage.current().flatMap(GuestStorage::proc).ifPresent(proc -> {
            NetworkProcFiles files = new NetworkProcFiles(up.host().sockets());
            proc.register("net-interfaces", files::interfaces).register("net-tcp", files::tcp);
        });
    }

    @Override
    public void beforeShutdown(PrintStream console) {
        GuestNetwork up = network;
        if (up != null) {
            SystemNetwork.uninstall(up.host());
            GuestNetwork.withdraw(up);
            up.host().close();
        }
    }

    /**
     * Builds the host over {@code nics} (the first one configured), polls it on CPU 0, waits for
     * a DHCP lease up to the setting's bound, and prints one line of what it configured.
     */
    static GuestNetwork bringUp(LibOS os, List<GuestNics.Nic> nics, NetworkSettings settings, PrintStream console)
            throws InterruptedException {
        long startNanos = os.clock().nanoTime();
        HostStackBuilder builder = HostStack.builder(os.clock(), new SplittableRandom(new SecureRandom().nextLong()))
                .log(line -> console.println(PREFIX + line))
                .dnsServers(settings.dnsServers());
        if (nics.isEmpty()) {
            console.println(NO_DEVICE);
        } else {
            NetDevice first = nics.getFirst().device();
            Addressing addressing = settings.address() != null ? settings.address() : Addressing.dhcp();
            if (settings.mtu() > 0) {
                builder.addInterface(first, addressing, Math.min(settings.mtu(), first.mtu()));
            } else {
                builder.addInterface(first, addressing);
            }
            for (GuestNics.Nic other : nics.subList(1, nics.size())) {
                console.println(PREFIX + other.device().name() + " (" + other.where()
                        + ") attached, not configured: only the first card gets an address");
            }
        }
        HostStack host = builder.build();
        host.pollOn(os.cpus(), 0);
        boolean leased = host.awaitAddress(os.clock(), TimeUnit.SECONDS.toNanos(settings.dhcpWaitSeconds()));
        if (!leased) {
            console.println(PREFIX + "WARNING no DHCP lease after " + settings.dhcpWaitSeconds() + " s ("
                    + NetworkSettings.DHCP_WAIT + "); main starts without an address, DHCP keeps trying");
        }
        if (!nics.isEmpty()) {
            console.println(summary(host, nics.getFirst(), settings, os.clock().nanoTime() - startNanos));
        }
        return new GuestNetwork(host, nics);
    }

    private static String summary(HostStack host, GuestNics.Nic nic, NetworkSettings settings, long elapsedNanos) {
        InterfaceInfo iface = host.interfaces().stream().filter(i -> !i.loopback()).findFirst().orElseThrow();
        String address = iface.address() == null ? "no address"
                : iface.address().getHostAddress() + "/" + iface.prefixLength();
        return PREFIX + iface.name() + " (" + nic.where() + ") MAC " + MacAddress.of(iface.hardwareAddress())
                + ", " + address + (settings.address() == null ? " (dhcp)" : " (static)")
                + ", gateway " + (host.gateway() == null ? "none" : host.gateway())
                + ", dns " + (host.dnsServers().isEmpty() ? "none"
                        : String.join(",", host.dnsServers().stream().map(a -> a.getHostAddress()).toList()))
                + ", MTU " + iface.mtu() + ", in " + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms";
    }

    @Override
    public String toString() {
        return "NetworkBootHook";
    }
}
