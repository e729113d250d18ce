package dev.libos.core;

import dev.libos.api.LibOSConfig;
import dev.libos.api.spi.BootHook;
import dev.libos.core.guest.GuestBoot;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.Manifest;

/**
 * The executable entry point: boots the kernel, runs the application's {@code main} on a libos
 * thread named "main", shuts the kernel down in order when main returns, and exits with the
 * application's status: 0 when main returns, 1 when it throws (the cause is printed), the given
 * status when the application calls {@code System.exit}, 2 when libos cannot boot.
 *
 * <p>The application's main class comes from the {@code libos.main} setting or, in an
 * executable jar, from the manifest attribute {@code Libos-Main}.
 *
 * <p>Between the kernel's boot and main it runs the {@link BootHook}s on the class path for its
 * environment (status 2 when one fails; those that ran are told when main has ended). As PID 1
 * of a VM, {@link GuestBoot} also mounts the kernel's file systems first, prints the boot
 * timeline when main starts, and powers the VM off with the status at the end.
 */
public final class Boot {
    /** Manifest attribute naming the application's main class. */
    public static final String MAIN_ATTRIBUTE = "Libos-Main";

    private Boot() {
    }

    public static void main(String[] args) {
        PrintStream err = System.err;
        GuestBoot guest = GuestBoot.enterIfPid1(err);
        String mainClass = findMainClass();
        if (mainClass == null) {
            err.println("libos: no application to run: set -Dlibos.main=CLASS or the manifest attribute "
                    + MAIN_ATTRIBUTE);
            exit(guest, 2);
        }
        Kernel kernel;
        try {
            kernel = Kernel.boot(LibOSConfig.fromSystemProperties());
        } catch (RuntimeException | Error e) {
            err.println("libos: boot failed: " + e);
            exit(guest, 2);
            return;
        }
        if (guest != null) {
            guest.libosReady();
        }
        BootHooks hooks = new BootHooks(guest != null ? BootHook.Environment.GUEST : BootHook.Environment.HOSTED, err);
        if (!hooks.runAll(kernel)) {
            hooks.beforeShutdown();
            kernel.shutdown();
            exit(guest, 2);
        }
        // No shutdown hook stops the CPUs: System.exit called on a libos thread parks that
        // thread while it joins the hooks, and it needs a CPU to finish exiting (a hook that
        // stopped the CPUs hung the JVM). The JVM halts the CPUs when it exits.
        if (guest != null) {
            guest.mainStarting();
        }
        int status = runMain(kernel, mainClass, args, err);
        hooks.beforeShutdown();
        long stranded = kernel.shutdown();
        if (stranded > 0 && status == 0) {
            err.println("libos: " + stranded + " libos threads did not end at shutdown");
        }
        exit(guest, status);
    }

    /** Ends the process; in a VM ({@code guest} not null) powers off carrying the status. */
    private static void exit(GuestBoot guest, int status) {
        if (guest != null) {
            guest.powerOff(status);
        }
        System.exit(status);
    }

    /**
     * Runs {@code mainClass.main(args)} on a libos thread of {@code kernel} and waits for it.
     *
     * @return 0 when main returned, 1 when it threw or could not be found
     */
    public static int runMain(Kernel kernel, String mainClass, String[] args, PrintStream err) {
        MethodHandle main;
        try {
            Class<?> type = Class.forName(mainClass, true, Thread.currentThread().getContextClassLoader());
            main = MethodHandles.publicLookup().findStatic(type, "main",
                    MethodType.methodType(void.class, String[].class));
        } catch (ClassNotFoundException e) {
            err.println("libos: application main class not found: " + mainClass);
            return 1;
        } catch (ReflectiveOperationException e) {
            err.println("libos: " + mainClass + " has no public static void main(String[]): " + e.getMessage());
            return 1;
        }
        Throwable[] failure = new Throwable[1];
        Thread thread = kernel.threads().builder().name("main").start(() -> {
            try {
                main.invoke((Object) args);
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (failure[0] != null) {
            err.println("libos: application main failed:");
            failure[0].printStackTrace(err);
            return 1;
        }
        return 0;
    }

    private static String findMainClass() {
        String property = System.getProperty("libos.main");
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        try {
            Enumeration<URL> manifests = ClassLoader.getSystemResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                try (var in = manifests.nextElement().openStream()) {
                    String value = new Manifest(in).getMainAttributes().getValue(MAIN_ATTRIBUTE);
                    if (value != null && !value.isBlank()) {
                        return value.trim();
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
