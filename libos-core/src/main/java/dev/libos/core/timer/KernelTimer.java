package dev.libos.core.timer;

import dev.libos.api.time.TimerHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A timer as the API hands it out. Its state is shared between the owning CPU (which fires it)
 * and any thread that cancels it, so it changes only by CAS: PENDING to FIRED (one-shot firing)
 * or PENDING to CANCELLED, whichever comes first. A cancel from another CPU also asks the owner
 * to take the entry off its wheel, so cancelled timers do not pile up until their deadline.
 */
final class KernelTimer implements TimerHandle {
    private static final int PENDING = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;

    final long firstDeadlineNanos;
    final long periodNanos;
    private final Runnable callback;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    // Set by the owning CPU.
    volatile CpuTimers owner;
    TimerWheel.Timer entry;

    KernelTimer(long firstDeadlineNanos, long periodNanos, Runnable callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
        this.firstDeadlineNanos = firstDeadlineNanos;
        this.periodNanos = periodNanos;
        this.callback = callback;
    }

    boolean isPeriodic() {
        return periodNanos > 0;
    }

    /** Runs the callback if the timer is still live; called by the owner's wheel. */
    void fire() {
        if (isPeriodic()) {
            if (state.get() == PENDING) {
                callback.run();
            }
        } else if (state.compareAndSet(PENDING, FIRED)) {
            callback.run();
        }
    }

    boolean hasFired() {
        return state.get() == FIRED;
    }

    @Override
    public boolean cancel() {
        if (!state.compareAndSet(PENDING, CANCELLED)) {
            return false;
        }
        CpuTimers cpu = owner;
        if (cpu != null) {
            cpu.requestRemoval(this);
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return state.get() == CANCELLED;
    }
}
