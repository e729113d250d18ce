package dev.libos.sim.agent;

/**
 * The clock every rewritten {@code System.nanoTime()} and {@code System.currentTimeMillis()}
 * call reads. Loaded by the boot loader (the agent jar's {@code Boot-Class-Path}), so the
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
}
