package dev.libos.bench.sched;

import dev.libos.api.LibOS;
import dev.libos.api.LibOSConfig;

/**
 * The kernel a benchmark trial runs its libos side on: booted in a trial's setup only when the
 * trial measures {@link Impl#LIBOS}, so the idle virtual CPUs of an unused kernel cannot take
 * CPU time from a baseline. JMH forks one JVM per parameter set, so one kernel lives per JVM.
 */
public final class Kernel {
    private Kernel() {
    }

    /** CPUs of the kernel and thread count of the all-CPU benchmarks: the host's processors. */
    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Boots a kernel with {@link #cpus()} virtual CPUs. */
    public static LibOS boot() {
        return LibOS.boot(LibOSConfig.builder().cpus(cpus()).build());
    }

    /** The workers for {@code impl}: for libos ones {@code os} must be the booted kernel. */
    public static Workers workersFor(Impl impl, LibOS os) {
        return switch (impl.threadKind()) {
            case LIBOS -> Workers.libos(os);
            case PLATFORM -> Workers.platform();
            case JDK_VIRTUAL -> Workers.jdkVirtual();
        };
    }

    /**
     * Shuts {@code os} down (null: nothing to do).
     *
     * @throws IllegalStateException when libos threads were left alive: a benchmark leaked them
     */
    public static void shutdown(LibOS os) {
        if (os == null) {
            return;
        }
        long leftAlive = os.shutdown();
        if (leftAlive != 0) {
            throw new IllegalStateException(leftAlive + " libos threads were still alive at shutdown");
        }
    }
}
