package dev.libos.core.sched;

import dev.libos.api.device.Poller;
import dev.libos.api.thread.CpuStats;
import dev.libos.api.thread.Cpus;
import dev.libos.api.time.MonotonicClock;
import dev.libos.core.config.KernelConfig;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

/**
 * The libos scheduler: one {@link Cpu} per virtual CPU, and the executors that the JDK calls to
 * make a libos thread runnable (on start, unpark and yield).
 *
 * <p>Placement of a wakeup:
 * <ul>
 *   <li>made on one of our CPUs (a libos thread or the CPU loop itself wakes a thread): queued on
 *       that CPU's own run queue, with no atomic operation. A thread woken by a thread on the same
 *       CPU therefore runs there next, which is what makes ping-pong cheap;</li>
 *   <li>made anywhere else (a platform thread, a JDK timer thread for {@code Thread.sleep}):
 *       posted to the incoming MPSC queue of the least loaded CPU ({@link #placementRank}: an
 *       idle CPU still polling, then a parked one, which is unparked, then the shortest queue);</li>
 *   <li>for a thread pinned to CPU k: always CPU k (locally, or through its incoming queue).</li>
 * </ul>
 * Load balancing is push-only: a CPU with a backlog hands threads to an idle CPU (see
 * {@link Cpu}), so a run queue is only ever touched by its owner.
 */
public final class Scheduler implements Cpus {
    final KernelConfig config;
    final MonotonicClock clock;
    private final Cpu[] cpus;
    private final Executor anyCpu = this::submitAnywhere;
    private final Executor[] pinnedTo;
    private final AtomicLong droppedAfterStop = new AtomicLong();
    private volatile IntToLongFunction timersFired = cpu -> 0;
    private volatile boolean stopped;
    private int placementCursor; // racy round-robin start for placement: harmless if stale

    public Scheduler(KernelConfig config) {
        this.config = config;
        this.clock = config.clock();
        this.cpus = new Cpu[config.cpus()];
        this.pinnedTo = new Executor[config.cpus()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(i, this);
            int cpu = i;
            pinnedTo[i] = task -> submitPinned(cpu, task);
        }
    }

    /** Starts the CPU loops. */
    public void start() {
        for (Cpu cpu : cpus) {
            cpu.carrier.start();
        }
    }

    /**
     * Stops every CPU loop and waits for the carriers to end. Threads still queued or parked are
     * stranded; the caller (orderly kernel shutdown) ends libos threads before this.
     *
     * @return ready threads that were queued but never ran
     */
    public int stop(Duration timeout) throws InterruptedException {
        stopped = true;
        for (Cpu cpu : cpus) {
            cpu.requestStop();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int stranded = 0;
        for (Cpu cpu : cpus) {
            long left = Math.max(1, deadline - System.nanoTime());
            cpu.carrier.join(Duration.ofNanos(left));
            stranded += cpu.strandedTasks();
        }
        return stranded;
    }

    /** The executor for threads that may run on any CPU. */
    public Executor anyCpuExecutor() {
        return anyCpu;
    }

    /** The executor for threads pinned to {@code cpu}. */
    public Executor pinnedExecutor(int cpu) {
        checkCpu(cpu);
        return pinnedTo[cpu];
    }

    /** True when {@code executor} is one of this scheduler's. */
    boolean owns(Executor executor) {
        if (executor == anyCpu) {
            return true;
        }
        for (Executor e : pinnedTo) {
            if (e == executor) {
                return true;
            }
        }
        return false;
    }

    /** Lets the timer module report fired timers in {@link #stats(int)}. */
    public void timerCounters(IntToLongFunction firedPerCpu) {
        this.timersFired = firedPerCpu;
    }

    /** Adds per-pass kernel work (a timer wheel, the RCU driver) to {@code cpu}; before start only. */
    public void addWork(int cpu, CpuWork work) {
        checkCpu(cpu);
        cpus[cpu].addWork(work);
    }

    /**
     * Makes {@code cpu} take one more pass (after posting work for it elsewhere, such as a frame
     * in a device's ring): unparks its carrier if it sleeps, and keeps it from parking if it is
     * between its last poll and its park.
     */
    @Override
    public void wake(int cpu) {
        checkCpu(cpu);
        Cpu target = cpus[cpu];
        Cpu here = currentCpuOrNull();
        if (here != null && here != target) {
            target.kickFrom(here);
        } else {
            target.kick();
        }
    }

    // ---- placement -------------------------------------------------------------------------------

    private void submitAnywhere(Runnable task) {
        Cpu here = currentCpuOrNull();
        if (here != null) {
            here.postLocal(task, false);
        } else if (!rejectIfStopped()) {
            leastLoaded().postRemote(task, false);
        }
    }

    private void submitPinned(int cpu, Runnable task) {
        Cpu target = cpus[cpu];
        if (currentCpuOrNull() == target) {
            target.postLocal(task, true);
        } else if (!rejectIfStopped()) {
            target.postRemote(task, true);
        }
    }

    private boolean rejectIfStopped() {
        if (stopped) {
            // After an orderly shutdown nothing runs these; counting them is all that is left to do.
            droppedAfterStop.incrementAndGet();
            return true;
        }
        return false;
    }

    private Cpu leastLoaded() {
        int start = placementCursor++ & Integer.MAX_VALUE;
        Cpu best = null;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < cpus.length; i++) {
            Cpu cpu = cpus[(start + i) % cpus.length];
            int rank = placementRank(cpu.idle, cpu.isSleeping(), cpu.publishedQueueLength());
            if (rank < bestRank) {
                best = cpu;
                bestRank = rank;
            }
        }
        return best;
    }

    /**
     * Where a wakeup from outside the CPUs goes first (lower is better): an idle CPU whose carrier
     * still polls takes it at once; a parked one costs an unpark (tens of microseconds on a VM,
     * and a wait for a host core when the host is contended), still less than queueing behind a
     * running thread, which only yields the CPU when it blocks; among busy CPUs, the shortest queue.
     */
    static int placementRank(boolean idle, boolean sleeping, int queueLength) {
        if (idle) {
            return sleeping ? -1 : -2;
        }
        return Math.max(0, queueLength);
    }

    /** An idle CPU other than {@code from}, or null. */
    Cpu findIdleCpu(Cpu from) {
        for (Cpu cpu : cpus) {
            if (cpu != from && cpu.idle) {
                return cpu;
            }
        }
        return null;
    }

    /** The CPU whose carrier runs the calling thread, or null when it is not one of ours. */
    Cpu currentCpuOrNull() {
        if (JdkVirtualThreads.currentCarrier() instanceof CpuCarrier carrier && carrier.cpu.scheduler() == this) {
            return carrier.current;
        }
        return null;
    }

    // ---- RCU support -----------------------------------------------------------------------------

    /** Snapshot of every CPU's quiescent-pass counter. */
    public long[] quiescentSnapshot() {
        long[] snapshot = new long[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            snapshot[i] = cpus[i].quiescentPasses();
        }
        return snapshot;
    }

    /** True once every CPU has passed a quiescent state since {@code snapshot}, or is idle. */
    public boolean allPassedQuiescentState(long[] snapshot) {
        for (int i = 0; i < cpus.length; i++) {
            if (!cpus[i].idle && cpus[i].quiescentPasses() == snapshot[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens an RCU read-side section on the calling libos thread's CPU.
     *
     * @throws IllegalStateException when the caller is not a libos thread of this kernel
     */
    public void rcuReadLock() {
        requireCurrentCpu().rcuReadLock();
    }

    public void rcuReadUnlock() {
        requireCurrentCpu().rcuReadUnlock();
    }

    private Cpu requireCurrentCpu() {
        Cpu cpu = currentCpuOrNull();
        if (cpu == null) {
            throw new IllegalStateException("RCU read-side sections run on libos threads, not on "
                    + Thread.currentThread());
        }
        return cpu;
    }

    /** Threads that blocked inside an RCU read-side section (a bug in the caller), summed over CPUs. */
    public long rcuReadSectionsBlocked() {
        long sum = 0;
        for (Cpu cpu : cpus) {
            sum += cpu.rcuReadSectionsBlocked();
        }
        return sum;
    }

    /** Wakeups that arrived after the CPUs stopped and were dropped. */
    public long droppedAfterStop() {
        return droppedAfterStop.get();
    }

    // ---- Cpus ------------------------------------------------------------------------------------

    @Override
    public int count() {
        return cpus.length;
    }

    @Override
    public int current() {
        Cpu cpu = currentCpuOrNull();
        return cpu == null ? -1 : cpu.id;
    }

    @Override
    public CpuStats stats(int cpu) {
        checkCpu(cpu);
        return cpus[cpu].stats(timersFired.applyAsLong(cpu));
    }

    @Override
    public AutoCloseable addPoller(int cpu, Poller poller) {
        checkCpu(cpu);
        Cpu target = cpus[cpu];
        target.addPoller(poller);
        return () -> target.removePoller(poller);
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus.length) {
            throw new IllegalArgumentException("no such CPU: " + cpu + " (this kernel has " + cpus.length + ")");
        }
    }
}
