package dev.libos.sim;

import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The simulation's timers on virtual time: the JDK's timed unparks of simulated threads (sleep,
 * parkNanos, timed waits) and the simulation's own (fault schedules). Fired by the driver in
 * deadline order, equal deadlines in the order they were set.
 */
final class SimTimers {
    /** One timer; the JDK holds it only to cancel it. */
    final class Timer implements ScheduledFuture<Object> {
        final long deadlineNanos;
        final long sequence;
        final String label;
        private final Runnable action;
        private volatile boolean cancelled;
        private volatile boolean fired;

        Timer(long deadlineNanos, long sequence, String label, Runnable action) {
            this.deadlineNanos = deadlineNanos;
            this.sequence = sequence;
            this.label = label;
            this.action = action;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deadlineNanos - clock.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (SimTimers.this) {
                if (fired || cancelled) {
                    return false;
                }
                cancelled = true;
                queue.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return fired || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("simulation timers are not awaited");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("simulation timers are not awaited");
        }
    }

    private final VirtualClock clock;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> a.deadlineNanos != b.deadlineNanos
            ? Long.compare(a.deadlineNanos, b.deadlineNanos) : Long.compare(a.sequence, b.sequence));
    private long sequence;

    SimTimers(VirtualClock clock) {
        this.clock = clock;
    }

    /** Sets a timer {@code delayNanos} (clamped to 0 and to no overflow) from now. */
    synchronized Timer schedule(long delayNanos, String label, Runnable action) {
        long now = clock.nanoTime();
        long delay = Math.max(0, delayNanos);
        long deadline = delay > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delay;
        Timer timer = new Timer(deadline, sequence++, label, action);
        queue.add(timer);
        return timer;
    }

    /** Deadline of the earliest timer, or {@link Long#MAX_VALUE}. */
    synchronized long nextDeadlineNanos() {
        Timer first = queue.peek();
        return first == null ? Long.MAX_VALUE : first.deadlineNanos;
    }

    /** Removes and returns the earliest timer due at {@code nowNanos}, or null. */
    synchronized Timer pollDue(long nowNanos) {
        Timer first = queue.peek();
        if (first == null || first.deadlineNanos > nowNanos) {
            return null;
        }
        queue.poll();
        first.fired = true;
        return first;
    }

    static void fire(Timer timer) {
        timer.action.run();
    }

    synchronized int pending() {
        return queue.size();
    }
}
