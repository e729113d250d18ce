package dev.libos.jvm.net;

import dev.libos.api.LibOS;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.spi.BootHook;
import java.io.PrintStream;

/**
 * Gives unmodified Java code the libos network at boot, hosted and in a guest: when the network
 * boot hooks (order below 1000) installed a {@link SystemNetwork}, {@link JvmNetwork#install}
 * makes it the JVM's NIO provider and java.net socket implementation. With no system network the
 * JVM keeps the host's sockets, and the hook says so.
 */
public final class JvmNetBootHook implements BootHook {
    /** After the hooks that bring the network up (below 1000). */
    public static final int ORDER = 1000;

    @Override
    public String name() {
        return "jvm-net";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public boolean runsIn(Environment environment) {
        return true;
    }

    @Override
    public void run(LibOS os, Environment environment, PrintStream console) {
        if (SystemNetwork.current().isEmpty()) {
            console.println("libos: jvm-net: no libos network was brought up; java.net and NIO stay on the host OS's sockets"
                    + (environment != Environment.GUEST ? ""
                            : "linux".equals(System.getProperty("libos.network")) ? " (libos.network=linux: Linux's own driver and TCP/IP)"
                            : " (in a VM, Linux's: they reach no network)"));
            return;
        }
        JvmNetwork.install(console);
    }
}
