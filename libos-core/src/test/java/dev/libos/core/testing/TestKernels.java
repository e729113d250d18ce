package dev.libos.core.testing;

import dev.libos.api.LibOSConfig;
import dev.libos.api.time.MonotonicClock;
import dev.libos.core.Kernel;
import java.time.Duration;

/** Boots kernels for tests; every test shuts its kernel down (one runs per JVM at a time). */
public final class TestKernels {
    private TestKernels() {
    }

    /** A kernel with {@code cpus} CPUs and the given {@code key=value} settings. */
    public static Kernel boot(int cpus, String... settings) {
        return Kernel.boot(config(cpus, settings).build());
    }

    /** A kernel whose clock is {@code clock}. */
    public static Kernel boot(int cpus, MonotonicClock clock, String... settings) {
        return Kernel.boot(config(cpus, settings).clock(clock).build());
    }

    private static LibOSConfig.Builder config(int cpus, String... settings) {
        LibOSConfig.Builder builder = LibOSConfig.builder().cpus(cpus)
                // Tests share 2 host cores with the build: back off to sleep quickly when idle.
                .set("libos.idle.spinMicros", "20");
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            builder.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return builder;
    }

    /** Shuts {@code kernel} down, failing loudly if it stranded threads. */
    public static void shutdown(Kernel kernel) {
        if (kernel != null) {
            long stranded = kernel.shutdown(Duration.ofSeconds(5));
            if (stranded != 0) {
                throw new AssertionError("kernel shutdown stranded " + stranded + " libos threads");
            }
        }
    }

    /** Joins {@code thread} or fails after {@code seconds}. */
    public static void join(Thread thread, int seconds) throws InterruptedException {
        if (!thread.join(Duration.ofSeconds(seconds))) {
            throw new AssertionError(thread.getName() + " did not finish within " + seconds + " s: "
                    + thread.getState() + " " + java.util.Arrays.toString(thread.getStackTrace()));
        }
    }
}
