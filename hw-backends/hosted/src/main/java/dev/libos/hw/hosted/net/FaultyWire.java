package dev.libos.hw.hosted.net;

import java.util.SplittableRandom;

/**
 * One direction of a simulated wire: applies {@link LinkFaults} to each frame, models the
 * serialisation time of a bandwidth limit, and queues the result at the receiving device. The
 * random stream and the time the wire becomes free are its state, guarded by its monitor.
 */
final class FaultyWire {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LinkFaults faults;
    private final SplittableRandom random;
    private long wireFreeAtNanos = Long.MIN_VALUE;

    FaultyWire(LinkFaults faults, long seed) {
        if (faults == null) {
            throw new IllegalArgumentException("faults must not be null");
        }
        this.faults = faults;
        this.random = new SplittableRandom(seed);
    }

    LinkFaults faults() {
        return faults;
    }

    /**
     * Carries {@code frame} (already a private copy, already padded) sent at {@code nowNanos}
     * towards {@code receiver}. Faults are counted on {@code sender}. {@code checksumPartial}
     * goes with the frame (and its duplicate): its transport checksum is left to the device.
     *
     * @return false when the receiver's queue had no room (the frame was not sent)
     */
    synchronized boolean carry(byte[] frame, boolean checksumPartial, long nowNanos, DeviceCounters sender,
                               DeliveryQueue receiver) {
        if (!receiver.hasRoom()) {
            return false;
        }
        long departure = Math.max(nowNanos, wireFreeAtNanos);
        if (faults.bandwidthBitsPerSecond() > 0) {
            // Serialisation: the wire is busy for bits / rate; frames behind it wait their turn.
            departure += Math.ceilDiv(frame.length * 8L * NANOS_PER_SECOND, faults.bandwidthBitsPerSecond());
        }
        wireFreeAtNanos = departure;
        if (chance(faults.lossProbability())) {
            sender.dropped(DropCause.INJECTED_LOSS);
            return true;
        }
        if (chance(faults.corruptProbability())) {
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                int bit = random.nextInt(frame.length * 8);
                frame[bit >>> 3] ^= (byte) (1 << (bit & 7));
            }
            sender.corrupted();
        }
        boolean duplicate = chance(faults.duplicateProbability());
        if (!receiver.offer(arrival(departure, sender), frame, checksumPartial)) {
            sender.dropped(DropCause.QUEUE_FULL);
        }
        if (duplicate) {
            sender.duplicated();
            if (!receiver.offer(arrival(departure, sender), frame.clone(), checksumPartial)) {
                sender.dropped(DropCause.QUEUE_FULL);
            }
        }
        return true;
    }

    private long arrival(long departure, DeviceCounters sender) {
        long arrival = departure + faults.delayNanos();
        if (faults.jitterNanos() > 0) {
            arrival += random.nextLong(faults.jitterNanos() + 1);
        }
        if (chance(faults.reorderProbability())) {
            arrival += faults.reorderHoldNanos();
            sender.reordered();
        }
        return arrival;
    }

    private boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }
}
