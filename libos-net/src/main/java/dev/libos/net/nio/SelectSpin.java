package dev.libos.net.nio;

/**
 * How long a {@link LibosSelector} polls its candidate queue before it parks the selecting
 * thread: Linux's busy polling for {@code select}/{@code epoll} ({@code net.core.busy_poll}),
 * done on the queue the stack's CPU fills. Owner-only (one per selector, used under its
 * monitor); every decision takes the time as an argument, so it is tested without a clock.
 *
 * <p>Why: the selecting thread of a NIO application on a hosted libos (Netty's event loop) is
 * a platform thread, and the stack that makes its channels ready runs on a libos CPU's carrier.
 * A parked selector costs each readiness change a host-level unpark (profiled in issue 12: two
 * such wakeups per request, each 50 us or more on a small VM), while a selector that polls for
 * a few tens of microseconds after its last event catches the next request of a
 * request/response exchange without one, and the carrier that made the key ready does not
 * unpark anything ({@link LibosSelector#offer} unparks only a parked selector).
 *
 * <p>The same adaptive window as the libos CPUs' idle policy ({@code sched.IdlePolicy}), as a
 * halt-polling governor does: a park that ended within the maximum window would have been
 * caught by a longer spin, so the window grows; a park that lasted longer than the maximum could
 * not have been, so it shrinks; a spin that caught the work keeps it. Two polls more than
 * {@link #PREEMPTION_GAP_NANOS} apart mean the host took the core away: the thread parks at
 * once and the window drops to zero, leaving the core to whoever needs it. Only platform
 * threads spin: a libos (virtual) thread that parks gives its CPU to other libos threads.
 */
final class SelectSpin {
    /** The longest spin, in microseconds: {@code -Dlibos.nio.selectSpinMicros} (0 never spins). */
    static final String SPIN_MICROS_PROPERTY = "libos.nio.selectSpinMicros";
    static final long DEFAULT_SPIN_MICROS = 50;
    /** A gap between two polls of one spin this long means the thread lost its core. */
    static final long PREEMPTION_GAP_NANOS = 20_000;
    /** The window a grow starts from when it was zero. */
    static final long GROW_START_NANOS = 2_000;

    private final long maxWindowNanos;
    private long windowNanos;

    // The current wait.
    private long waitSince;
    private long lastPollAt;
    private boolean parked;

    /** @param maxWindowNanos the longest spin; 0 parks at once always */
    SelectSpin(long maxWindowNanos) {
        if (maxWindowNanos < 0) {
            throw new IllegalArgumentException("negative select spin window: " + maxWindowNanos);
        }
        this.maxWindowNanos = maxWindowNanos;
        this.windowNanos = maxWindowNanos;
    }

    /** A spin window from {@value #SPIN_MICROS_PROPERTY}, validated (the setting is named in the error). */
    static SelectSpin fromSystemProperties() {
        String value = System.getProperty(SPIN_MICROS_PROPERTY);
        long micros = DEFAULT_SPIN_MICROS;
        if (value != null) {
            try {
                micros = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SPIN_MICROS_PROPERTY + " must be a number of microseconds: " + value, e);
            }
            if (micros < 0 || micros > 1_000_000) {
                throw new IllegalArgumentException(SPIN_MICROS_PROPERTY + " must be in [0, 1000000]: " + value);
            }
        }
        return new SelectSpin(micros * 1000);
    }

    /** The selection found nothing at {@code now}: a wait begins. */
    void waitStarted(long now) {
        waitSince = now;
        lastPollAt = now;
        parked = false;
    }

    /**
     * Whether to look at the queue once more at {@code now} (true) or park (false). Once a wait
     * has parked it parks again (a wakeup without a ready key does not restart the spin).
     */
    boolean keepPolling(long now) {
        if (parked) {
            return false;
        }
        long gap = now - lastPollAt;
        lastPollAt = now;
        if (gap > PREEMPTION_GAP_NANOS) {
            windowNanos = 0;
            return false;
        }
        return now - waitSince < windowNanos;
    }

    /** The thread is about to park in this wait. */
    void parking() {
        parked = true;
    }

    /** A key became ready (or the selection returned) at {@code now}: the window adapts. */
    void waitEnded(long now) {
        if (!parked) {
            return; // the spin caught it, or there was no wait: keep the window
        }
        long waitedFor = now - waitSince;
        if (waitedFor <= maxWindowNanos) {
            windowNanos = Math.min(maxWindowNanos, Math.max(GROW_START_NANOS, windowNanos * 2));
        } else {
            windowNanos = windowNanos / 2 < GROW_START_NANOS ? 0 : windowNanos / 2;
        }
    }

    long windowNanos() {
        return windowNanos;
    }
}
