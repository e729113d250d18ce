package dev.libos.api.spi;

import dev.libos.api.LibOS;
import java.io.PrintStream;

/**
 * Work the boot does for the OS between the libos kernel's boot and the application's
 * {@code main}: bringing up devices, file systems and networking. {@code dev.libos.core.Boot} runs
 * every hook {@link java.util.ServiceLoader} finds on the class path whose {@link #runsIn} accepts
 * the environment, once, by {@link #order()} then {@link #name()}, on the boot thread. A module
 * registers one in {@code META-INF/services/dev.libos.api.spi.BootHook}; libos-core knows no
 * implementation (libos-guest's storage hook mounts the disks this way).
 *
 * <p>Hooks run only when libos boots through {@code Boot} (an executable jar or a VM image); an
 * application that calls {@link LibOS#boot} itself composes what it needs by hand.
 */
public interface BootHook {
    /** Where libos runs. */
    enum Environment {
        /** A process on a host OS ({@code java -jar}), on host-simulated devices. */
        HOSTED,
        /** PID 1 of a VM, driving the VM's devices itself. */
        GUEST
    }

    /** A short name for console lines ({@code storage}). */
    String name();

    /** Hooks run in increasing order; equal orders by name. */
    default int order() {
        return 0;
    }

    /** Whether the hook runs in {@code environment}; by default only in a guest. */
    default boolean runsIn(Environment environment) {
        return environment == Environment.GUEST;
    }

    /**
     * Does the hook's work, printing what it found on {@code console}.
     *
     * @throws Exception to stop the boot: the message is printed and the process ends (the VM
     *         powers off) with status 2 without running main, for a failure the application must
     *         not run past, such as a damaged state volume or a malformed network setting
     */
    void run(LibOS os, Environment environment, PrintStream console) throws Exception;

    /**
     * Called when the application's main has ended, before libos shuts down (and, in a guest, the
     * VM powers off), for hooks that ran, in reverse order (the storage hook commits its file
     * systems here). Not called when the application ends the JVM itself with
     * {@code System.exit}: a VM then stops like on a power cut. Failures are printed and do not
     * stop the shutdown.
     */
    default void beforeShutdown(PrintStream console) throws Exception {
    }
}
