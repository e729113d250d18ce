package dev.libos.vfs;

import java.util.SplittableRandom;

/**
 * Field values for crafted-image property tests, and their seed and size: run with
 * {@code -Dcrafted.seed=N} to repeat a run, {@code -Dcrafted.iterations=N} for a longer one.
 */
public final class HostileValues {
    private static final long[] EDGES = {0, 1, 2, 3, -1, -2, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 32, (1L << 32) - 1, 0xFFFF, 0x10000, 1L << 40, (1L << 40) + 1,
        1L << 50, 1L << 62, (1L << 62) - 1, (1L << 62) + 1, 255, 256, 511, 512, 513, 4095, 4096};

    private HostileValues() {
    }

    /** The seed of this run: {@code -Dcrafted.seed}, else the clock. */
    public static long seed() {
        String fixed = System.getProperty("crafted.seed");
        return fixed != null ? Long.parseLong(fixed) : System.nanoTime();
    }

    /** Iterations: {@code -Dcrafted.iterations}, else {@code byDefault} (a few seconds in CI). */
    public static int iterations(int byDefault) {
        return Integer.getInteger("crafted.iterations", byDefault);
    }

    /**
     * A value for a field of {@code width} bytes that held {@code original}: an edge (0, -1,
     * the extremes, powers of two near the format's limits), the original plus or minus a
     * little, a small number, or random bits.
     */
    public static long next(SplittableRandom random, long original, int width) {
        return switch (random.nextInt(5)) {
            case 0, 1 -> EDGES[random.nextInt(EDGES.length)];
            case 2 -> original + random.nextInt(-3, 4);
            case 3 -> random.nextInt(0, 300);
            default -> random.nextLong();
        };
    }
}
