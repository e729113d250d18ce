package dev.libos.hw.hosted.net;

/**
 * What a simulated wire does to the frames crossing it, in one direction. Probabilities are per
 * frame and independent; every decision is drawn from a random stream seeded by the device that
 * owns the wire, so one seed reproduces a whole run.
 *
 * @param lossProbability        a frame vanishes, 0 to 1
 * @param duplicateProbability   a frame is delivered twice (the copy with its own delay), 0 to 1
 * @param reorderProbability     a frame is held back {@code reorderHoldNanos} so later frames overtake it, 0 to 1
 * @param corruptProbability     one to three random bits of the frame are flipped, 0 to 1
 * @param delayNanos             fixed propagation delay, at least 0
 * @param jitterNanos            extra delay drawn uniformly from [0, jitterNanos], at least 0
 * @param reorderHoldNanos       the hold of a reordered frame, at least 0
 * @param bandwidthBitsPerSecond serialisation rate of the wire, 0 for unlimited
 */
public record LinkFaults(double lossProbability, double duplicateProbability, double reorderProbability,
                         double corruptProbability, long delayNanos, long jitterNanos, long reorderHoldNanos,
                         long bandwidthBitsPerSecond) {
    /** A perfect wire: no faults, no delay, unlimited bandwidth. */
    public static final LinkFaults NONE = new LinkFaults(0, 0, 0, 0, 0, 0, 0, 0);

    /** Validates every field, naming the bad one. */
    public LinkFaults {
        requireProbability("lossProbability", lossProbability);
        requireProbability("duplicateProbability", duplicateProbability);
        requireProbability("reorderProbability", reorderProbability);
        requireProbability("corruptProbability", corruptProbability);
        requireNonNegative("delayNanos", delayNanos);
        requireNonNegative("jitterNanos", jitterNanos);
        requireNonNegative("reorderHoldNanos", reorderHoldNanos);
        requireNonNegative("bandwidthBitsPerSecond", bandwidthBitsPerSecond);
    }

    /** These faults with frames lost with probability {@code p}. */
    public LinkFaults withLoss(double p) {
        return new LinkFaults(p, duplicateProbability, reorderProbability, corruptProbability, delayNanos,
                jitterNanos, reorderHoldNanos, bandwidthBitsPerSecond);
    }

    /** These faults with frames duplicated with probability {@code p}. */
    public LinkFaults withDuplication(double p) {
        return new LinkFaults(lossProbability, p, reorderProbability, corruptProbability, delayNanos,
                jitterNanos, reorderHoldNanos, bandwidthBitsPerSecond);
    }

    /** These faults with frames held back by {@code holdNanos} with probability {@code p}. */
    public LinkFaults withReordering(double p, long holdNanos) {
        return new LinkFaults(lossProbability, duplicateProbability, p, corruptProbability, delayNanos,
                jitterNanos, holdNanos, bandwidthBitsPerSecond);
    }

    /** These faults with bits flipped in a frame with probability {@code p}. */
    public LinkFaults withCorruption(double p) {
        return new LinkFaults(lossProbability, duplicateProbability, reorderProbability, p, delayNanos,
                jitterNanos, reorderHoldNanos, bandwidthBitsPerSecond);
    }

    /** These faults with a fixed delay and a uniform jitter. */
    public LinkFaults withDelay(long newDelayNanos, long newJitterNanos) {
        return new LinkFaults(lossProbability, duplicateProbability, reorderProbability, corruptProbability,
                newDelayNanos, newJitterNanos, reorderHoldNanos, bandwidthBitsPerSecond);
    }

    /** These faults with the wire serialising at {@code bitsPerSecond} (0: unlimited). */
    public LinkFaults withBandwidth(long bitsPerSecond) {
        return new LinkFaults(lossProbability, duplicateProbability, reorderProbability, corruptProbability,
                delayNanos, jitterNanos, reorderHoldNanos, bitsPerSecond);
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + p);
        }
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }
}
