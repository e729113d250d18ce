package dev.libos.api.time;

/**
 * A clock that moves only when told to: the injected clock of unit tests and simulations.
 * Thread-safe; readers see every advance made before their read.
 */
public final class ManualClock implements MonotonicClock {
    private volatile long nowNanos;

    public ManualClock(long startNanos) {
        this.nowNanos = startNanos;
    }

    public ManualClock() {
        this(0);
    }

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    /** Moves time forward by {@code deltaNanos} (which must not be negative) and returns the new time. */
    public synchronized long advance(long deltaNanos) {
        if (deltaNanos < 0) {
            throw new IllegalArgumentException("deltaNanos must not be negative: " + deltaNanos);
        }
        nowNanos += deltaNanos;
        return nowNanos;
    }
}
