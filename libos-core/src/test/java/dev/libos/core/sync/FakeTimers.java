package dev.libos.core.sync;

import dev.libos.api.time.TimerHandle;
import dev.libos.api.time.Timers;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Timers} test double: records one-shot timers and fires the due ones, on the calling
 * thread, when the test advances its time. Guarded by its own monitor (test code, where the
 * production rule against monitors does not apply).
 */
final class FakeTimers implements Timers {
    /** A recorded timer. */
    static final class Scheduled implements TimerHandle {
        final long dueNanos;
        final Runnable callback;
        private boolean fired;
        private boolean cancelled;

        Scheduled(long dueNanos, Runnable callback) {
            this.dueNanos = dueNanos;
            this.callback = callback;
        }

        @Override
        public synchronized boolean cancel() {
            boolean stopped = !fired && !cancelled;
            cancelled = true;
            return stopped;
        }

        @Override
        public synchronized boolean isCancelled() {
            return cancelled;
        }

        synchronized boolean claimFiring() {
            if (fired || cancelled) {
                return false;
            }
            fired = true;
            return true;
        }

        synchronized boolean fired() {
            return fired;
        }
    }

    private final List<Scheduled> timers = new ArrayList<>();
    private long nowNanos;

    @Override
    public synchronized TimerHandle schedule(long delayNanos, Runnable callback) {
        Scheduled timer = new Scheduled(nowNanos + delayNanos, callback);
        timers.add(timer);
        return timer;
    }

    @Override
    public TimerHandle schedulePeriodic(long initialDelayNanos, long periodNanos, Runnable callback) {
        throw new UnsupportedOperationException("not needed by the sync tests");
    }

    @Override
    public void sleep(long delayNanos) {
        throw new UnsupportedOperationException("not needed by the sync tests");
    }

    /** Every timer scheduled so far, oldest first. */
    synchronized List<Scheduled> scheduled() {
        return List.copyOf(timers);
    }

    /** Moves time forward and runs, on this thread, every timer now due; returns how many fired. */
    int advance(long deltaNanos) {
        List<Scheduled> due = new ArrayList<>();
        synchronized (this) {
            nowNanos += deltaNanos;
            for (Scheduled timer : timers) {
                if (timer.dueNanos <= nowNanos) {
                    due.add(timer);
                }
            }
        }
        int fired = 0;
        for (Scheduled timer : due) {
            if (timer.claimFiring()) {
                timer.callback.run();
                fired++;
            }
        }
        return fired;
    }
}
