package dev.libos.core.sched;

import dev.libos.api.thread.ThreadSpec;
import dev.libos.api.thread.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

import dev.libos.core.log.KLog;

/**
 * Creates libos threads and keeps the set of live ones, so that shutdown can wait for them,
 * interrupt them, and say how many it stranded.
 *
 * <p>Virtual threads that a libos thread creates itself with {@code Thread.ofVirtual()} inherit
 * its scheduler (a JDK rule) and so also run on libos CPUs, but they are not in the live set:
 * shutdown does not wait for them.
 */
public final class LibosThreads implements Threads {
    private static final KLog LOG = KLog.of(LibosThreads.class);

    /** The least time shutdown gives interrupted threads to end. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

    private final Scheduler scheduler;
    private final ThreadFactory anyCpu;
    private final ThreadFactory[] pinned;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean accepting = true;

    public LibosThreads(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.anyCpu = JdkVirtualThreads.factory(scheduler.anyCpuExecutor());
        this.pinned = new ThreadFactory[scheduler.count()];
        for (int i = 0; i < pinned.length; i++) {
            pinned[i] = JdkVirtualThreads.factory(scheduler.pinnedExecutor(i));
        }
    }

    @Override
    public ThreadSpec builder() {
        return new Spec();
    }

    @Override
    public boolean isLibosThread(Thread thread) {
        return scheduler.owns(JdkVirtualThreads.schedulerOf(thread));
    }

    @Override
    public long liveThreads() {
        return live.size();
    }

    @Override
    public long startedThreads() {
        return started.get();
    }

    /** Threads whose task ended with an uncaught exception. */
    public long failedThreads() {
        return failed.get();
    }

    /**
     * Stops accepting new threads, waits up to {@code grace} for live ones to end, interrupts
     * those left and waits again, up to {@code grace} but at least {@link #INTERRUPT_GRACE}: an
     * interrupted thread ends as soon as it runs, so this wait is short unless a thread ignores
     * interrupts, and a loaded machine must not turn a slow wakeup into a stranded thread.
     *
     * @return threads still alive afterwards
     */
    public long drain(Duration grace) throws InterruptedException {
        accepting = false;
        if (awaitLive(grace)) {
            return 0;
        }
        List<Thread> left = new ArrayList<>(live);
        LOG.warn("shutdown: {} libos threads still running after {} ms; interrupting them", left.size(),
                grace.toMillis());
        left.forEach(Thread::interrupt);
        awaitLive(grace.compareTo(INTERRUPT_GRACE) > 0 ? grace : INTERRUPT_GRACE);
        for (Thread t : live) {
            LOG.error("shutdown: stranding libos thread {} ({})", t.getName(), t.getState());
        }
        return live.size();
    }

    private boolean awaitLive(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread t : new ArrayList<>(live)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return live.isEmpty();
            }
        }
        return live.isEmpty();
    }

    private Thread create(String name, int cpu, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!accepting) {
            throw new IllegalStateException("libos is shutting down: cannot start thread " + name);
        }
        Thread thread = (cpu < 0 ? anyCpu : pinned[cpu]).newThread(new Body(task));
        thread.setName(name);
        thread.setUncaughtExceptionHandler((t, e) -> {
            failed.incrementAndGet();
            LOG.error("libos thread {} died", t.getName(), e);
        });
        return thread;
    }

    /** Registers the thread as live from before its start until its task ends. */
    private final class Body implements Runnable {
        private final Runnable task;

        Body(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            live.add(Thread.currentThread()); // no-op when start() registered it already
            started.incrementAndGet();
            try {
                task.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        }
    }

    private final class Spec implements ThreadSpec {
        private String name = "";
        private int cpu = -1;

        @Override
        public ThreadSpec name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        @Override
        public ThreadSpec cpu(int cpu) {
            if (cpu < 0 || cpu >= scheduler.count()) {
                throw new IllegalArgumentException("no such CPU: " + cpu + " (this kernel has "
                        + scheduler.count() + ")");
            }
            this.cpu = cpu;
            return this;
        }

        @Override
        public Thread unstarted(Runnable task) {
            return create(name, cpu, task);
        }

        @Override
        public Thread start(Runnable task) {
            Thread thread = create(name, cpu, task);
            // Registered before start so that shutdown never misses a thread that is starting.
            live.add(thread);
            try {
                thread.start();
            } catch (RuntimeException e) {
                live.remove(thread);
                throw e;
            }
            return thread;
        }
    }
}
