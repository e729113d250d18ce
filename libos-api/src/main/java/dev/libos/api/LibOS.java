package dev.libos.api;

import dev.libos.api.memory.Memory;
import dev.libos.api.spi.KernelProvider;
import dev.libos.api.sync.Sync;
import dev.libos.api.thread.Cpus;
import dev.libos.api.thread.Threads;
import dev.libos.api.time.MonotonicClock;
import dev.libos.api.time.Timers;
import java.util.ServiceLoader;

/**
 * A booted libos kernel: the handle an application holds. One kernel runs per JVM at a time.
 *
 * <pre>{@code
 * try (LibOS os = LibOS.boot(LibOSConfig.builder().cpus(2).build())) {
 *     os.threads().start("worker", () -> ...).join();
 * }
 * }</pre>
 */
public interface LibOS extends AutoCloseable {

    /**
     * Boots the kernel found on the class path (libos-core) with {@code config}.
     *
     * @throws IllegalArgumentException naming the setting when a setting is invalid
     * @throws IllegalStateException when no kernel is on the class path, or one is already running
     */
    static LibOS boot(LibOSConfig config) {
        KernelProvider provider = ServiceLoader.load(KernelProvider.class).findFirst().orElseThrow(
                () -> new IllegalStateException("no libos kernel on the class path: add the libos-core dependency"));
        return provider.boot(config);
    }

    /** Boots with the {@code libos.*} system properties. */
    static LibOS boot() {
        return boot(LibOSConfig.fromSystemProperties());
    }

    /**
     * The running kernel.
     *
     * @throws IllegalStateException when none is running
     */
    static LibOS current() {
        return ServiceLoader.load(KernelProvider.class).findFirst()
                .flatMap(KernelProvider::running)
                .orElseThrow(() -> new IllegalStateException("libos is not booted"));
    }

    /** The validated configuration the kernel booted with. */
    LibOSConfig config();

    MonotonicClock clock();

    Cpus cpus();

    Threads threads();

    Timers timers();

    Sync sync();

    Memory memory();

    KernelLog log();

    /**
     * Shuts down in order: stops accepting new threads, waits up to the configured grace time
     * (libos.shutdown.timeoutMillis) for libos threads to finish, interrupts those left and waits
     * again, then stops the CPUs. Idempotent.
     *
     * @return libos threads that were still alive when the CPUs stopped (0 on a clean shutdown)
     */
    long shutdown();

    /** True until {@link #shutdown()} has begun. */
    boolean isRunning();

    @Override
    default void close() {
        shutdown();
    }
}
