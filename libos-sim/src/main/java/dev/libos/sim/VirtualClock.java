package dev.libos.sim;

import dev.libos.api.time.MonotonicClock;

/**
 * The simulation's time: it moves only when the driver jumps it to the next timer or frame
 * ({@link #advanceTo}), never by itself. Read from any thread; written by the driver only.
 */
public final class VirtualClock implements MonotonicClock {
    /** The wall clock at virtual time zero: 2026-01-01T00:00:00Z, the same in every run. */
    public static final long EPOCH_MILLIS = 1_767_225_600_000L;

    private volatile long nowNanos;

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    /** Virtual wall-clock milliseconds (what {@code System.currentTimeMillis()} answers a simulated thread). */
    public long currentTimeMillis() {
        return EPOCH_MILLIS + nowNanos / 1_000_000;
    }

    /** Virtual wall-clock nanoseconds since the epoch (what {@code Instant.now()} answers a simulated thread). */
    public long currentTimeNanos() {
        return EPOCH_MILLIS * 1_000_000L + nowNanos;
    }

    /** Moves time to {@code nanos}; time never goes back. */
    void advanceTo(long nanos) {
        if (nanos < nowNanos) {
            throw new IllegalArgumentException("virtual time cannot go back from " + nowNanos + " to " + nanos);
        }
        nowNanos = nanos;
    }
}
