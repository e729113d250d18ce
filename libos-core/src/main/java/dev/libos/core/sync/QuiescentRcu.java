package dev.libos.core.sync;

import dev.libos.api.sync.Rcu;
import dev.libos.api.sync.RcuPointer;
import dev.libos.api.time.MonotonicClock;
import dev.libos.core.concurrent.MpscQueues;
import dev.libos.core.log.KLog;
import dev.libos.core.sched.CpuWork;
import dev.libos.core.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * RCU whose grace periods come from the scheduler's quiescent states, as in OSv's RCU.
 *
 * <p>Read side: {@link #readLock()} and {@link #readUnlock()} bump a plain counter of the current
 * CPU (owner-only, no atomics); {@link RcuPointer#read()} is an acquire load. A reader must not
 * block inside its section, so while it runs, its CPU does not pass through its loop.
 *
 * <p>Grace periods: this object is per-pass work of CPU 0. When callbacks wait, it snapshots
 * every CPU's count of quiescent passes (a pass through the loop with no libos thread mounted)
 * and declares the grace period over once every CPU has either passed another one or is idle.
 * Why that suffices: a reader that started before the snapshot runs on some CPU without leaving
 * it; that CPU can only count a new pass, or be seen idle, after the reader's section has ended.
 * Callbacks queued during a grace period wait for the next one, whose snapshot is later than
 * their request.
 */
public final class QuiescentRcu implements Rcu, CpuWork {
    private static final KLog LOG = KLog.of(QuiescentRcu.class);
    /** How soon CPU 0 re-checks other CPUs while a grace period is open. */
    private static final long RECHECK_NANOS = 20_000;

    private final Scheduler scheduler;
    private final MonotonicClock clock;
    private final MpscUnboundedVarHandleArrayQueue<Runnable> requested = MpscQueues.unbounded();

    // Driver state: CPU 0's carrier only.
    private final List<Runnable> inFlight = new ArrayList<>();
    private long[] snapshot;

    private volatile long completed;

    public QuiescentRcu(Scheduler scheduler, MonotonicClock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
        scheduler.addWork(0, this);
    }

    @Override
    public void readLock() {
        scheduler.rcuReadLock();
    }

    @Override
    public void readUnlock() {
        scheduler.rcuReadUnlock();
    }

    @Override
    public void synchronize() throws InterruptedException {
        GraceWaiter grace = new GraceWaiter(Thread.currentThread());
        callAfterGracePeriod(grace);
        while (!grace.passed) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for an RCU grace period");
            }
        }
    }

    @Override
    public void callAfterGracePeriod(Runnable callback) {
        requested.offer(callback);
        scheduler.wake(0);
    }

    @Override
    public <T> RcuPointer<T> newPointer(T initial) {
        return new AtomicRcuPointer<>(initial);
    }

    @Override
    public long completedGracePeriods() {
        return completed;
    }

    // ---- driver, on CPU 0 ------------------------------------------------------------------------

    @Override
    public int doWork(long nowNanos) {
        int work = 0;
        if (snapshot != null && scheduler.allPassedQuiescentState(snapshot)) {
            snapshot = null;
            for (Runnable callback : inFlight) {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    LOG.error("RCU callback {} failed", callback, e);
                }
            }
            work += inFlight.size();
            inFlight.clear();
            completed = completed + 1; // single writer
        }
        if (snapshot == null && !requested.isEmpty()) {
            Runnable callback;
            while ((callback = requested.relaxedPoll()) != null) {
                inFlight.add(callback);
            }
            snapshot = scheduler.quiescentSnapshot();
            work++;
        }
        return work;
    }

    @Override
    public long nextDeadlineNanos() {
        return snapshot != null || !requested.isEmpty() ? clock.nanoTime() + RECHECK_NANOS : Long.MAX_VALUE;
    }

    /** Wakes a thread blocked in {@link #synchronize()}. */
    private static final class GraceWaiter implements Runnable {
        private final Thread thread;
        volatile boolean passed;

        GraceWaiter(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void run() {
            passed = true; // volatile write before unpark: the waiter's volatile read sees it
            LockSupport.unpark(thread);
        }
    }
}
