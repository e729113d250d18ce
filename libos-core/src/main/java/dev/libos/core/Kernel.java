package dev.libos.core;

import dev.libos.api.KernelLog;
import dev.libos.api.LibOS;
import dev.libos.api.LibOSConfig;
import dev.libos.api.memory.Memory;
import dev.libos.api.sync.Sync;
import dev.libos.api.thread.Cpus;
import dev.libos.api.thread.Threads;
import dev.libos.api.time.MonotonicClock;
import dev.libos.api.time.Timers;
import dev.libos.core.config.KernelConfig;
import dev.libos.core.log.KLog;
import dev.libos.core.log.KernelLogRing;
import dev.libos.core.memory.KernelMemory;
import dev.libos.core.sched.LibosThreads;
import dev.libos.core.sched.Scheduler;
import dev.libos.core.sync.KernelSync;
import dev.libos.core.sync.QuiescentRcu;
import dev.libos.core.timer.KernelTimers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The libos kernel: composes the components in boot order (log, memory, scheduler, timers,
 * sync) and takes them down in the reverse order. One kernel runs per JVM at a time.
 */
public final class Kernel implements LibOS {
    private static final KLog LOG = KLog.of(Kernel.class);
    private static final AtomicReference<Kernel> RUNNING = new AtomicReference<>();

    private final LibOSConfig config;
    private final KernelConfig settings;
    private final KernelLogRing log;
    private final KernelMemory memory;
    private final Scheduler scheduler;
    private final LibosThreads threads;
    private final KernelTimers timers;
    private final QuiescentRcu rcu;
    private final KernelSync sync;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private volatile long strandedAtShutdown = -1;

    private Kernel(LibOSConfig config, KernelConfig settings) {
        this.config = config;
        this.settings = settings;
        this.log = new KernelLogRing(settings.logRingEntries(), settings.clock());
        this.memory = new KernelMemory(settings.memoryBytes(), settings.trackLeaks());
        this.scheduler = new Scheduler(settings);
        this.threads = new LibosThreads(scheduler);
        this.timers = new KernelTimers(scheduler, settings);
        this.rcu = new QuiescentRcu(scheduler, settings.clock());
        this.sync = new KernelSync(timers, settings.clock(), rcu);
    }

    /**
     * Validates {@code config} and boots a kernel.
     *
     * @throws IllegalArgumentException naming the setting when a setting is invalid
     * @throws IllegalStateException when a kernel is already running in this JVM
     */
    public static Kernel boot(LibOSConfig config) {
        KernelConfig settings = KernelConfig.from(config);
        if (RUNNING.get() != null) {
            throw new IllegalStateException("a libos kernel is already running in this JVM");
        }
        Kernel kernel = new Kernel(config, settings);
        if (!RUNNING.compareAndSet(null, kernel)) {
            kernel.memory.close();
            throw new IllegalStateException("a libos kernel is already running in this JVM");
        }
        KLog.install(kernel.log);
        kernel.scheduler.start();
        LOG.info("libos booted: {} cpus, {} MiB memory, settings {}", settings.cpus(),
                settings.memoryBytes() >> 20, config.settings());
        return kernel;
    }

    /** The running kernel, or null. */
    public static Kernel running() {
        return RUNNING.get();
    }

    @Override
    public LibOSConfig config() {
        return config;
    }

    /** The validated settings. */
    public KernelConfig settings() {
        return settings;
    }

    @Override
    public MonotonicClock clock() {
        return settings.clock();
    }

    @Override
    public Cpus cpus() {
        return scheduler;
    }

    @Override
    public Threads threads() {
        return threads;
    }

    @Override
    public Timers timers() {
        return timers;
    }

    @Override
    public Sync sync() {
        return sync;
    }

    @Override
    public Memory memory() {
        return memory;
    }

    @Override
    public KernelLog log() {
        return log;
    }

    /** The scheduler, for kernel components and tests. */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public boolean isRunning() {
        return !shutdownStarted.get();
    }

    @Override
    public long shutdown() {
        return shutdown(Duration.ofMillis(settings.shutdownTimeoutMillis()));
    }

    /**
     * Orderly shutdown: no new threads; wait up to {@code grace} for libos threads, interrupt the
     * rest and wait again; stop the CPUs; free memory. A second call returns the first's result.
     */
    public long shutdown(Duration grace) {
        if (!shutdownStarted.compareAndSet(false, true)) {
            return Math.max(0, strandedAtShutdown);
        }
        long stranded;
        try {
            stranded = threads.drain(grace);
            int neverRun = scheduler.stop(Duration.ofSeconds(5));
            if (neverRun > 0) {
                LOG.warn("shutdown: {} ready threads never ran", neverRun);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stranded = threads.liveThreads();
        }
        long leaks = memory.outstanding().size();
        if (leaks > 0) {
            LOG.warn("shutdown: {} memory allocations were not freed", leaks);
        }
        memory.close();
        strandedAtShutdown = stranded;
        LOG.info("libos stopped: {} threads started, {} stranded", threads.startedThreads(), stranded);
        RUNNING.compareAndSet(this, null);
        return stranded;
    }
}
