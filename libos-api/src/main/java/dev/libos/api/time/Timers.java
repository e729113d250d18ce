package dev.libos.api.time;

/**
 * Timers on the per-CPU timer wheels. Callbacks run on the CPU loop of the CPU that owns the
 * timer: they must be short and must not block (start or wake a libos thread for longer work).
 * Deadlines are on the libos {@link MonotonicClock}.
 */
public interface Timers {
    /** Runs {@code callback} once, {@code delayNanos} from now. */
    TimerHandle schedule(long delayNanos, Runnable callback);

    /** Runs {@code callback} every {@code periodNanos}, the first time {@code initialDelayNanos} from now. */
    TimerHandle schedulePeriodic(long initialDelayNanos, long periodNanos, Runnable callback);

    /**
     * Parks the calling libos thread for at least {@code delayNanos} of libos time. Unlike
     * {@link Thread#sleep(long)}, which fires on a JDK timer thread against the host clock, this
     * follows the injected clock.
     *
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    void sleep(long delayNanos) throws InterruptedException;
}
