package dev.libos.sim.agent;

/**
 * The clock every rewritten {@code System.nanoTime()}, {@code System.currentTimeMillis()} and
 * {@code jdk.internal.misc.VM.getNanoTimeAdjustment(long)} call reads (the last is where
 * {@code Instant.now()} and every {@code java.time} {@code now()} get the time). Loaded by the boot loader (the agent jar's {@code Boot-Class-Path}), so the
 * JDK's own classes can call it. While no simulation has installed a {@link Source}, or for a
 * thread the source does not simulate, it is the host's clock.
 */
public final class SimTime {
    /** What a {@link Source} answers for a thread it does not simulate. */
    public static final long NOT_SIMULATED = Long.MIN_VALUE;

    /** The simulation's clock, asked on the calling thread. */
    public interface Source {
        /** Virtual nanoseconds for the calling thread, or {@link #NOT_SIMULATED}. */
        long nanoTime();

        /** Virtual wall-clock milliseconds for the calling thread, or {@link #NOT_SIMULATED}. */
        long currentTimeMillis();

        /** Virtual wall-clock nanoseconds since the epoch for the calling thread, or {@link #NOT_SIMULATED}. */
        long currentTimeNanos();
    }

    private static volatile Source source;

    private SimTime() {
    }

    /** Installs {@code value} (null: the host's clock for every thread). */
    public static void install(Source value) {
        source = value;
    }

    /** True once the agent has rewritten the JDK's clock reads (the simulation refuses to run without it). */
    public static boolean agentActive() {
        return SimTimeAgent.active();
    }

    public static long nanoTime() {
        Source s = source;
        if (s != null) {
            long v = s.nanoTime();
            if (v != NOT_SIMULATED) {
                return v;
            }
        }
        return System.nanoTime();
    }

    public static long currentTimeMillis() {
        Source s = source;
        if (s != null) {
            long v = s.currentTimeMillis();
            if (v != NOT_SIMULATED) {
                return v;
            }
        }
        return System.currentTimeMillis();
    }

    /** Wall-clock seconds between the offset and now beyond which HotSpot answers -1 (2^32, as {@code JVM_GetNanoTimeAdjustment}). */
    private static final long MAX_OFFSET_SECONDS = 1L << 32;

    /**
     * What {@code VM.getNanoTimeAdjustment(offsetSeconds)} answers: nanoseconds from
     * {@code offsetSeconds} (epoch seconds) to now, or -1 when now is {@code 2^32} seconds or
     * more away from the offset ({@code java.time.Clock} then picks a new offset and asks again).
     */
    public static long nanoTimeAdjustment(long offsetSeconds) {
        Source s = source;
        if (s != null) {
            long nanos = s.currentTimeNanos();
            if (nanos != NOT_SIMULATED) {
                long diff = Math.floorDiv(nanos, 1_000_000_000L) - offsetSeconds;
                if (diff >= MAX_OFFSET_SECONDS || diff <= -MAX_OFFSET_SECONDS) {
                    return -1;
                }
                return diff * 1_000_000_000L + Math.floorMod(nanos, 1_000_000_000L);
            }
        }
        return HostClock.nanoTimeAdjustment(offsetSeconds);
    }
}
