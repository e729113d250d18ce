package dev.libos.api.time;

/**
 * The one source of time inside libos. Scheduler, timers and protocol code take the time from
 * here (or as a {@code long nowNanos} parameter), never from {@link System#nanoTime()}, so that a
 * test or a simulator can inject its own clock.
 */
@FunctionalInterface
public interface MonotonicClock {
    /** Nanoseconds since an arbitrary origin; never decreases. */
    long nanoTime();

    /** The host's monotonic clock. */
    static MonotonicClock system() {
        return System::nanoTime;
    }
}
