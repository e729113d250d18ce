package dev.libos.hw.hosted.block;

/**
 * What a {@link FaultInjectingBlockDevice} does wrong, all decided by its seed.
 *
 * @param keepUnflushedProbability at a power cut, the chance that a block written since the last
 *     flush reached the medium (then one of its written versions, chosen at random, survives)
 * @param tornSectorProbability the chance that a surviving block is torn: only a prefix of its
 *     512-byte sectors holds the new version, the rest the old
 * @param bitFlipPerReadProbability the chance that a read returns one bit flipped (the medium
 *     keeps the right value)
 * @param ioErrorProbability the chance that a read, write or flush fails with an IOException
 *     (a failed write changes nothing)
 */
public record FaultPlan(double keepUnflushedProbability, double tornSectorProbability,
        double bitFlipPerReadProbability, double ioErrorProbability) {
    /** Power cuts drop or keep unflushed blocks at even odds and sometimes tear them; no other faults. */
    public static final FaultPlan POWER_CUTS = new FaultPlan(0.5, 0.1, 0, 0);

    public FaultPlan {
        check("keepUnflushedProbability", keepUnflushedProbability);
        check("tornSectorProbability", tornSectorProbability);
        check("bitFlipPerReadProbability", bitFlipPerReadProbability);
        check("ioErrorProbability", ioErrorProbability);
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + p);
        }
    }
}
