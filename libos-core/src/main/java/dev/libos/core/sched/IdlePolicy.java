package dev.libos.core.sched;

import java.util.function.LongSupplier;

/**
 * When an idle CPU stops polling and parks its carrier. Owner-only (one per {@link Cpu}); every
 * decision takes the time as an argument, so the policy is tested without a clock.
 *
 * <p>Polling (spinning) buys latency only while the carrier has a host core to itself: the work
 * of a peer arrives a few microseconds later and is seen without the 50 us or more that a park
 * and unpark cost on a virtual machine. When the host's cores are shared, the same spin takes the
 * core from the thread that would produce the work (another libos CPU, the JVM's GC, another
 * process), and a {@code Thread.yield} hands the core over for a whole host time slice: measured
 * on a 2-core VM beside two busy processes, a TCP round trip took 12.6 ms with 100 polls and 5
 * yields, 1.1 ms with the polls alone and 0.4 ms parking at once. So the policy:
 * <ul>
 *   <li>polls for at most a <em>window</em> of time (not a count of polls: a poll's cost varies
 *       with the pollers), at most {@code libos.idle.spinMicros}, then parks; it never yields;</li>
 *   <li>adapts the window per idle period, as a halt-polling governor does: a park that ended
 *       within the maximum window would have been caught by a longer spin, so the window grows;
 *       a park that lasted longer than the maximum could not have been, so the window shrinks;
 *       a spin that caught the work keeps it;</li>
 *   <li>drops the window to zero (park at once) while the host is contended: when the carrier's
 *       own run delay (time spent runnable without a core, {@link RunDelayProbe}) exceeds
 *       1/{@value #CONTENDED_SHARE} of the time since the last sample, or when two consecutive
 *       polls were more than {@link #PREEMPTION_GAP_NANOS} apart (the host took the core away in
 *       between). Parking at once leaves the core to whoever needs it, and the host's scheduler
 *       favours a thread that slept over one that spun.</li>
 * </ul>
 */
final class IdlePolicy {
    /** Least time between two run-delay samples (a sample costs a read of a procfs file). */
    static final long SAMPLE_PERIOD_NANOS = 1_000_000;
    /** A gap between two polls of one idle period this long means the carrier lost its core. */
    static final long PREEMPTION_GAP_NANOS = 20_000;
    /** The window a grow starts from when it was zero. */
    static final long GROW_START_NANOS = 2_000;
    /** Contended: run delay above 1/this of the elapsed time. */
    static final int CONTENDED_SHARE = 8;

    private final long maxWindowNanos;
    private final LongSupplier runDelay;

    private long windowNanos;
    private boolean contended;
    private long lastSampleAt;
    private long lastRunDelay = RunDelayProbe.UNKNOWN;

    // The current idle period.
    private long idleSince;
    private long lastPollAt;
    private boolean parkedThisPeriod;

    // Counters, owner-written.
    private long contendedSamples;
    private long preemptedSpins;

    /**
     * @param maxWindowNanos the longest spin ({@code libos.idle.spinMicros}); 0 parks at once always
     * @param runDelay the carrier's run delay in nanoseconds, or {@link RunDelayProbe#UNKNOWN}
     */
    IdlePolicy(long maxWindowNanos, LongSupplier runDelay) {
        if (maxWindowNanos < 0) {
            throw new IllegalArgumentException("negative spin window: " + maxWindowNanos);
        }
        this.maxWindowNanos = maxWindowNanos;
        this.windowNanos = maxWindowNanos;
        this.runDelay = runDelay;
    }

    /** The loop found nothing to do at {@code now}: an idle period begins. */
    void idleStarted(long now) {
        idleSince = now;
        lastPollAt = now;
        parkedThisPeriod = false;
        if (lastSampleAt == 0 || now - lastSampleAt >= SAMPLE_PERIOD_NANOS) {
            sampleContention(now);
        }
    }

    private void sampleContention(long now) {
        long delay = runDelay.getAsLong();
        if (delay != RunDelayProbe.UNKNOWN && lastRunDelay != RunDelayProbe.UNKNOWN && lastSampleAt != 0) {
            long waited = delay - lastRunDelay;
            long elapsed = now - lastSampleAt;
            // Overflow-safe: both are differences of nanosecond counters of one boot.
            contended = waited > 0 && elapsed > 0 && waited > elapsed / CONTENDED_SHARE;
            if (contended) {
                contendedSamples++;
                windowNanos = 0;
            }
        }
        lastRunDelay = delay;
        lastSampleAt = now;
    }

    /**
     * Whether to poll once more at {@code now} (true) or park (false). Once a period has parked it
     * parks again (a wakeup without work does not restart the spin).
     */
    boolean keepPolling(long now) {
        if (parkedThisPeriod) {
            return false;
        }
        long gap = now - lastPollAt;
        lastPollAt = now;
        if (gap > PREEMPTION_GAP_NANOS) {
            preemptedSpins++;
            windowNanos = 0;
            return false;
        }
        return now - idleSince < windowNanos;
    }

    /** The carrier is about to park in this idle period. */
    void parking() {
        parkedThisPeriod = true;
    }

    /** Work arrived at {@code now}: the idle period ends; the window adapts to how long it lasted. */
    void idleEnded(long now) {
        if (!parkedThisPeriod || contended) {
            return; // the spin caught the work (keep the window), or the host is busy (keep it at 0)
        }
        long idleFor = now - idleSince;
        if (idleFor <= maxWindowNanos) {
            windowNanos = Math.min(maxWindowNanos, Math.max(GROW_START_NANOS, windowNanos * 2));
        } else {
            windowNanos = windowNanos / 2 < GROW_START_NANOS ? 0 : windowNanos / 2;
        }
    }

    long windowNanos() {
        return windowNanos;
    }

    boolean contended() {
        return contended;
    }

    /** Run-delay samples that found the host contended. */
    long contendedSamples() {
        return contendedSamples;
    }

    /** Spins cut short because the carrier lost its core between two polls. */
    long preemptedSpins() {
        return preemptedSpins;
    }
}
