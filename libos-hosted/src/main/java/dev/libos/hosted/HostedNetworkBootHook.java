package dev.libos.hosted;

import dev.libos.api.LibOS;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.spi.BootHook;
import dev.libos.net.gateway.Forward;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The hosted boot's network step ({@link BootHook}, hosted only, order {@value #ORDER}): starts
 * the {@link HostedLan} with the forwards of {@code libos.forwards} (the run goal's setting, so
 * one jar runs both ways; default: the jar manifest's {@code Libos-Forwards}) and installs the
 * application's host as the {@link SystemNetwork}. The gateway's host listeners are opened here,
 * on the boot thread before main, from the JDK's own provider.
 */
public final class HostedNetworkBootHook implements BootHook {
    /** After storage (0), before the JVM-wide adapters that read the system network (1000). */
    static final int ORDER = 100;
    static final String PREFIX = "libos: network: ";

    private volatile HostedLan lan;

    @Override
    public String name() {
        return "hosted-network";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public boolean runsIn(Environment environment) {
        return environment == Environment.HOSTED;
    }

    @Override
    public void run(LibOS os, Environment environment, PrintStream console) throws IOException {
        List<Forward> forwards = HostedSettings.forwards(System.getProperties(), HostedSettings.manifestForwards());
        long startNanos = System.nanoTime();
        HostedLan started = HostedLan.start(os, forwards);
        lan = started;
        SystemNetwork.install(started.application());
        StringBuilder line = new StringBuilder(PREFIX + "hosted LAN " + HostedLan.APPLICATION + "/24, gateway "
                + HostedLan.GATEWAY);
        for (Forward forward : forwards) {
            InetSocketAddress host = started.gateway().hostAddress(forward);
            line.append(", ").append(host.getAddress().getHostAddress()).append(':').append(host.getPort())
                    .append(" -> ").append(HostedLan.APPLICATION).append(':').append(forward.guestPort());
        }
        line.append(forwards.isEmpty() ? ", no forwards (" + HostedSettings.FORWARDS + ")" : "")
                .append(", in ").append((System.nanoTime() - startNanos) / 1_000_000).append(" ms");
        console.println(line);
    }

    @Override
    public void beforeShutdown(PrintStream console) {
        HostedLan started = lan;
        if (started != null) {
            SystemNetwork.uninstall(started.application());
            started.close();
        }
    }
}
