package dev.libos.core.timer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * A hashed timer wheel owned by one CPU loop (after Varghese and Lauck, "Hashed and Hierarchical
 * Timing Wheels", and Agrona's {@code DeadlineTimerWheel}).
 *
 * <p><b>Single owner.</b> Every method must be called from the thread that owns the wheel (the
 * CPU loop, or the callbacks it runs from {@link #poll}). There are no locks and no atomics: the
 * kernel routes cross-CPU requests to the owner through its wakeup queues.
 *
 * <p><b>Time is a parameter.</b> The wheel never reads a clock: the owner passes {@code nowNanos}
 * to {@link #poll}. Time is cut into ticks of {@code tickNanos} counted from {@code startNanos};
 * a timer lives in slot {@code tick & (slots - 1)} of its deadline's tick, in a doubly linked list,
 * so schedule and cancel are O(1). Timers more than one revolution ({@code slots * tickNanos})
 * away share the slot with nearer ones and keep their absolute tick ("rounds"): a slot is only
 * fired for the timers whose tick has come.
 *
 * <p><b>Protocol rules</b> (each enforced where noted in the code):
 * <ol>
 *   <li>No pending timer has a tick below {@code currentTick}: a deadline already behind the wheel
 *       is clamped to {@code currentTick} (it keeps its real deadline, so it still sorts first).
 *   <li>{@link #poll} visits ticks in increasing order, each at most once per call, and fires
 *       the due timers of a tick in (deadline, schedule order) order. Together with rule 1 this
 *       means a poll fires due timers in global deadline order.
 *   <li>A callback may schedule and cancel freely. A timer it schedules with a deadline already
 *       due goes to the tick after the one being fired: it fires later in the same poll if the
 *       poll still has a later tick to visit, otherwise on the next poll; a poll therefore always
 *       terminates. (Only in this case can deadline order bend: such a timer fires after the
 *       timers of the current tick that the limit left over.)
 *   <li>A callback that throws is caught, counted and handed to the failure sink; the wheel is
 *       consistent before every callback runs, so nothing is corrupted.
 * </ol>
 */
public final class TimerWheel {
    /** The life of a {@link Timer}. */
    public enum TimerState {
        /** Scheduled and not yet fired (a periodic timer stays pending between firings). */
        PENDING,
        /** A one-shot timer whose callback has run (or was started and threw). */
        FIRED,
        /** Cancelled before it fired (or, for a periodic timer, before its next firing). */
        CANCELLED
    }

    /** A scheduled callback: a handle for {@link #cancel(Timer)} and for inspection. */
    public static final class Timer {
        private final TimerWheel wheel;
        private final Runnable callback;
        private final long periodNanos; // 0 for a one-shot timer
        private long deadlineNanos;
        private long tick;
        private long sequence; // schedule order, breaks deadline ties
        private TimerState state = TimerState.PENDING;
        private Timer prev;
        private Timer next;

        private Timer(TimerWheel wheel, long deadlineNanos, long periodNanos, Runnable callback) {
            this.wheel = wheel;
            this.deadlineNanos = deadlineNanos;
            this.periodNanos = periodNanos;
            this.callback = callback;
        }

        /** The deadline of the next firing (for a periodic timer, it moves on after each firing). */
        public long deadlineNanos() {
            return deadlineNanos;
        }

        /** The period of a periodic timer, or 0 for a one-shot timer. */
        public long periodNanos() {
            return periodNanos;
        }

        public TimerState state() {
            return state;
        }

        public boolean isPending() {
            return state == TimerState.PENDING;
        }

        @Override
        public String toString() {
            return "Timer[deadlineNanos=" + deadlineNanos + ", periodNanos=" + periodNanos + ", " + state + "]";
        }
    }

    private static final Comparator<Timer> FIRING_ORDER =
            Comparator.comparingLong((Timer t) -> t.deadlineNanos).thenComparingLong(t -> t.sequence);

    private final long tickNanos;
    private final long startNanos;
    private final int slotMask;
    private final Timer[] slotHeads;
    private final Consumer<Throwable> failureSink;

    /** The lowest tick that may still hold pending timers (rule 1). */
    private long currentTick;
    private int size;
    private long nextSequence;
    private long callbackFailures;
    private boolean polling;
    private boolean batchCutShort;

    /** Earliest pending deadline, valid while {@code !earliestStale}. */
    private long earliestDeadlineNanos = Long.MAX_VALUE;
    private boolean earliestStale;

    /** Due timers of the tick being fired, reused across polls (grown, never shrunk). */
    private Timer[] batch = new Timer[16];

    /**
     * Creates a wheel whose callback failures are only counted.
     *
     * @param tickNanos resolution: timers in one tick are found together (positive)
     * @param slots number of slots, a power of two
     * @param startNanos the time of tick 0, normally the clock's reading at creation
     */
    public TimerWheel(long tickNanos, int slots, long startNanos) {
        this(tickNanos, slots, startNanos, null);
    }

    /**
     * Creates a wheel that hands every exception thrown by a callback to {@code failureSink}
     * (the kernel logs it). A sink that itself throws is ignored.
     */
    public TimerWheel(long tickNanos, int slots, long startNanos, Consumer<Throwable> failureSink) {
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("tickNanos must be positive: " + tickNanos);
        }
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a positive power of two: " + slots);
        }
        this.tickNanos = tickNanos;
        this.startNanos = startNanos;
        this.slotMask = slots - 1;
        this.slotHeads = new Timer[slots];
        this.failureSink = failureSink;
    }

    /**
     * Schedules a one-shot timer. A deadline already in the past fires on the next poll.
     *
     * @return the timer's handle
     */
    public Timer schedule(long deadlineNanos, Runnable callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
        Timer timer = new Timer(this, deadlineNanos, 0, callback);
        arm(timer);
        return timer;
    }

    /**
     * Schedules a timer that fires at {@code firstDeadlineNanos} and then every
     * {@code periodNanos}. Deadlines do not drift: the next one is the previous one plus the
     * period, and periods missed because the wheel was polled late are skipped (one firing, not a
     * burst). The returned handle stays valid across firings; {@link #cancel(Timer)} stops it.
     */
    public Timer schedulePeriodic(long firstDeadlineNanos, long periodNanos, Runnable callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("periodNanos must be positive: " + periodNanos);
        }
        Timer timer = new Timer(this, firstDeadlineNanos, periodNanos, callback);
        arm(timer);
        return timer;
    }

    /**
     * Cancels a pending timer in O(1).
     *
     * @return true if the timer was pending (it will not fire again), false if it had already
     *     fired or been cancelled
     * @throws IllegalArgumentException when {@code timer} belongs to another wheel
     */
    public boolean cancel(Timer timer) {
        if (timer.wheel != this) {
            throw new IllegalArgumentException("timer belongs to another wheel: " + timer);
        }
        if (timer.state != TimerState.PENDING) {
            return false;
        }
        unlink(timer);
        timer.state = TimerState.CANCELLED;
        return true;
    }

    /**
     * Fires the callbacks of pending timers whose deadline is at or before {@code nowNanos}, in
     * deadline order, at most {@code limit} of them; the rest stay pending for the next call.
     *
     * @return the number of callbacks run (including those that threw)
     * @throws IllegalArgumentException when {@code limit} is not positive
     * @throws IllegalStateException when called from one of this wheel's callbacks
     */
    public int poll(long nowNanos, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (polling) {
            throw new IllegalStateException("poll called from a timer callback");
        }
        polling = true;
        try {
            return fireDue(nowNanos, limit);
        } finally {
            polling = false;
        }
    }

    private int fireDue(long nowNanos, int limit) {
        // A clock that went backwards does not move the wheel back (rule 1 keeps currentTick).
        long targetTick = Math.max(tickOf(nowNanos), currentTick);
        int fired = 0;
        while (fired < limit) {
            // Skip empty ticks: nothing pending is due before the earliest deadline's tick.
            long earliest = nextDeadlineNanos();
            if (earliest > nowNanos) {
                // No timer is due, so none lies in a tick before targetTick: move up to it.
                currentTick = targetTick;
                break;
            }
            long tick = Math.max(currentTick, tickOf(earliest));
            int due = collectDue(tick, nowNanos);
            // Rule 3: move on before running callbacks, so that a timer they schedule with a
            // due deadline is clamped into a later tick, not into this one, already visited.
            currentTick = tick < targetTick ? tick + 1 : tick;
            fired += fireBatch(due, limit - fired, nowNanos);
            if (batchCutShort) {
                // The limit left due timers in this tick: come back to it on the next poll.
                // Timers armed meanwhile sit in tick + 1 or later, so rule 1 still holds.
                currentTick = tick;
                break;
            }
            if (tick >= targetTick) {
                break; // the last tick this poll may visit is done (rule 2)
            }
        }
        return fired;
    }

    /** Collects the pending timers of {@code tick} with deadline at or before now, sorted. */
    private int collectDue(long tick, long nowNanos) {
        int count = 0;
        for (Timer t = slotHeads[(int) (tick & slotMask)]; t != null; t = t.next) {
            if (t.tick == tick && t.deadlineNanos <= nowNanos) {
                if (count == batch.length) {
                    batch = Arrays.copyOf(batch, count * 2);
                }
                batch[count++] = t;
            }
        }
        Arrays.sort(batch, 0, count, FIRING_ORDER);
        return count;
    }

    /**
     * Fires up to {@code room} timers of the batch; entries cancelled meanwhile are skipped.
     * Sets {@link #batchCutShort} when pending entries were left unfired for lack of room.
     */
    private int fireBatch(int due, int room, long nowNanos) {
        int fired = 0;
        batchCutShort = false;
        for (int i = 0; i < due; i++) {
            Timer timer = batch[i];
            batch[i] = null;
            // A callback earlier in this batch may have cancelled it: it must not fire then.
            // (No timer can be re-armed while it sits in the batch: only its own firing does that.)
            if (timer.state == TimerState.PENDING) {
                if (fired < room) {
                    fire(timer, nowNanos);
                    fired++;
                } else {
                    batchCutShort = true;
                }
            }
        }
        return fired;
    }

    private void fire(Timer timer, long nowNanos) {
        unlink(timer);
        if (timer.periodNanos > 0) {
            // Re-arm before the callback, so that the callback sees a pending handle it can
            // cancel, and a throwing callback does not stop the period.
            timer.deadlineNanos = nextPeriodicDeadline(timer.deadlineNanos, timer.periodNanos, nowNanos);
            arm(timer);
        } else {
            timer.state = TimerState.FIRED;
        }
        // Rule 4: the wheel is consistent here; whatever the callback does or throws is safe.
        try {
            timer.callback.run();
        } catch (Throwable failure) {
            callbackFailures++;
            if (failureSink != null) {
                try {
                    failureSink.accept(failure);
                } catch (Throwable ignored) {
                    // The sink is the last resort; the wheel must stay usable.
                }
            }
        }
    }

    /** The first deadline after {@code nowNanos} on the grid {@code deadline + k * period}. */
    static long nextPeriodicDeadline(long deadlineNanos, long periodNanos, long nowNanos) {
        long next = deadlineNanos + periodNanos;
        if (next <= nowNanos) {
            long missed = (nowNanos - deadlineNanos) / periodNanos; // periods already past
            next = deadlineNanos + (missed + 1) * periodNanos;
        }
        return next < deadlineNanos ? Long.MAX_VALUE : next; // saturate on overflow
    }

    /**
     * The earliest pending deadline, or {@link Long#MAX_VALUE} when nothing is pending; the idle
     * CPU bounds its sleep with it. Cached: it is recomputed only after the earliest timer went
     * away, by walking ticks forward from the current one (at most one revolution, plus a scan of
     * all timers when every pending timer is more than a revolution away).
     */
    public long nextDeadlineNanos() {
        if (earliestStale) {
            earliestDeadlineNanos = findEarliestDeadline();
            earliestStale = false;
        }
        return earliestDeadlineNanos;
    }

    private long findEarliestDeadline() {
        if (size == 0) {
            return Long.MAX_VALUE;
        }
        // The first tick holding a timer holds the earliest deadline: a deadline in a later
        // tick is later, and clamped timers (rule 1) sit in currentTick with earlier deadlines.
        for (int i = 0; i <= slotMask; i++) {
            long tick = currentTick + i;
            long earliest = Long.MAX_VALUE;
            boolean found = false;
            for (Timer t = slotHeads[(int) (tick & slotMask)]; t != null; t = t.next) {
                if (t.tick == tick) {
                    earliest = Math.min(earliest, t.deadlineNanos);
                    found = true;
                }
            }
            if (found) {
                return earliest;
            }
        }
        long earliest = Long.MAX_VALUE; // all timers are at least one revolution away
        for (Timer head : slotHeads) {
            for (Timer t = head; t != null; t = t.next) {
                earliest = Math.min(earliest, t.deadlineNanos);
            }
        }
        return earliest;
    }

    /** Pending timers. */
    public int size() {
        return size;
    }

    /** Callbacks that threw, since creation. */
    public long callbackFailures() {
        return callbackFailures;
    }

    public long tickNanos() {
        return tickNanos;
    }

    public int slots() {
        return slotMask + 1;
    }

    private void arm(Timer timer) {
        timer.tick = Math.max(tickOf(timer.deadlineNanos), currentTick); // rule 1
        timer.sequence = nextSequence++;
        timer.state = TimerState.PENDING;
        int slot = (int) (timer.tick & slotMask);
        Timer head = slotHeads[slot];
        timer.prev = null;
        timer.next = head;
        if (head != null) {
            head.prev = timer;
        }
        slotHeads[slot] = timer;
        size++;
        if (!earliestStale && timer.deadlineNanos < earliestDeadlineNanos) {
            earliestDeadlineNanos = timer.deadlineNanos;
        }
    }

    private void unlink(Timer timer) {
        if (timer.prev != null) {
            timer.prev.next = timer.next;
        } else {
            slotHeads[(int) (timer.tick & slotMask)] = timer.next;
        }
        if (timer.next != null) {
            timer.next.prev = timer.prev;
        }
        timer.prev = null;
        timer.next = null;
        size--;
        if (timer.deadlineNanos == earliestDeadlineNanos) {
            earliestStale = true; // it may have been the earliest; find out lazily
        }
    }

    /** The tick holding {@code timeNanos}; times before the start map to tick 0. */
    private long tickOf(long timeNanos) {
        if (timeNanos <= startNanos) {
            return 0;
        }
        long elapsed = timeNanos - startNanos;
        if (elapsed < 0) {
            return Long.MAX_VALUE / tickNanos; // overflowed: the far end of time
        }
        return elapsed / tickNanos;
    }
}
