package dev.libos.api.spi;

import dev.libos.api.LibOS;
import java.io.PrintStream;

/**
 * Work the guest's boot does when libos runs as PID 1 of a VM: after the libos kernel booted and
 * before the application's {@code main}, every hook {@link java.util.ServiceLoader} finds on the
 * class path runs once, by {@link #order()} then {@link #name()}, on the boot thread. A module
 * registers one in {@code META-INF/services/dev.libos.api.spi.GuestBootHook}; libos-core knows no
 * implementation (libos-guest's storage hook mounts the disks this way). Hooks never run hosted.
 */
public interface GuestBootHook {
    /** A short name for console lines ({@code storage}). */
    String name();

    /** Hooks run in increasing order; equal orders by name. */
    default int order() {
        return 0;
    }

    /**
     * Does the hook's work, printing what it found on {@code console}.
     *
     * @throws Exception to stop the boot: the message is printed and the VM powers off with
     *         status 2 without running main (for a failure the application must not run past,
     *         such as a damaged state volume)
     */
    void run(LibOS os, PrintStream console) throws Exception;

    /**
     * Called when the application has ended and the VM is about to power off, for hooks that
     * ran (the storage hook commits its file systems here). Not called when the application
     * ends the JVM itself with {@code System.exit}: the VM then stops like on a power cut.
     * Failures are printed and do not stop the power-off.
     */
    default void beforePowerOff(PrintStream console) throws Exception {
    }
}
