package dev.libos.core;

import dev.libos.api.LibOSConfig;
import dev.libos.api.net.HostNetwork;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.spi.BootHook;
import dev.libos.core.guest.GuestBoot;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.Manifest;

/**
 * The executable entry point: boots the kernel, runs the application's {@code main} on a libos
 * thread named "main", shuts the kernel down in order when main has returned and the application
 * has ended (its non-daemon threads, as on a plain JVM, and its listening sockets: see
 * {@link #awaitApplication}), and exits with the
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
    /** How often, after main returned, Boot looks whether the application still listens. */
    private static final long LISTENER_CHECK_MILLIS = 200;

    private Boot() {
    }

    public static void main(String[] args) {
        long entered = System.nanoTime();
        PrintStream err = System.err;
        GuestBoot guest = GuestBoot.enterIfPid1(err, entered);
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
        Set<Thread> beforeMain = nonDaemonThreads();
        int status = runMain(kernel, mainClass, args, err);
        awaitApplication(beforeMain);
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

    /**
     * Waits, as the JVM does before it exits after main, until every non-daemon platform thread
     * that is not in {@code existing} (those that ran before the application: the caller, the
     * test harness) has ended: an application whose main starts a server (the JDK's
     * {@code HttpServer} dispatcher, a thread pool) and returns keeps running, as on a plain JVM.
     * libos threads are virtual threads, daemons like every virtual thread, so they do not hold
     * the process (nor do they on a plain JVM).
     *
     * @return how many threads were waited for
     */
    public static int awaitNonDaemonThreads(Set<Thread> existing) {
        int waited = 0;
        while (true) {
            Thread other = null;
            for (Thread thread : nonDaemonThreads()) {
                if (!existing.contains(thread) && thread != Thread.currentThread()) {
                    other = thread;
                    break;
                }
            }
            if (other == null) {
                return waited;
            }
            try {
                other.join();
                waited++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return waited;
            }
        }
    }

    /**
     * Waits until the application has ended after its main returned: its non-daemon platform
     * threads have ended ({@link #awaitNonDaemonThreads}) and no TCP socket of the system network
     * listens any more. The second rule stands in for the first where libos differs from a
     * plain JVM: main runs on a libos thread, a virtual thread, and a platform thread started by
     * a virtual thread is a daemon (a JDK rule), so a server whose main starts, say, the JDK's
     * {@code HttpServer} (whose dispatcher inherits its daemon status) and returns would end at
     * once; on a plain JVM its dispatcher is a non-daemon thread and keeps the process running.
     * An open listening socket is what such a server has in common, whatever its threads.
     */
    static void awaitApplication(Set<Thread> beforeMain) {
        while (true) {
            awaitNonDaemonThreads(beforeMain);
            int listening = SystemNetwork.current().map(HostNetwork::listeningSockets).orElse(0);
            if (listening == 0) {
                return;
            }
            try {
                Thread.sleep(LISTENER_CHECK_MILLIS); // a process-lifetime wait, not a hot path
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The live non-daemon platform threads, the caller included. */
    public static Set<Thread> nonDaemonThreads() {
        Set<Thread> found = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!thread.isDaemon() && !thread.isVirtual() && thread.isAlive()) {
                found.add(thread);
            }
        }
        found.add(Thread.currentThread());
        return found;
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
