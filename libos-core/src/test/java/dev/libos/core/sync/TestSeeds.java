package dev.libos.core.sync;

/**
 * Seeds for randomised tests. Each run prints its seeds; {@code -Dlibos.seed=N} replays a run
 * (seed i of the run is N + i).
 */
final class TestSeeds {
    private TestSeeds() {}

    /** {@code count} seeds for {@code testName}, printed with the flag that replays them. */
    static long[] seeds(String testName, int count) {
        long base = Long.getLong("libos.seed", System.nanoTime());
        System.out.println(testName + ": seeds from " + base + " (rerun with -Dlibos.seed=" + base + ")");
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = base + i;
        }
        return seeds;
    }
}
