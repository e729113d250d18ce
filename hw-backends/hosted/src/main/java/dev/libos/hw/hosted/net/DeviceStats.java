package dev.libos.hw.hosted.net;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a simulated device's counters.
 *
 * @param framesOut       frames accepted by {@code transmit}
 * @param bytesOut        bytes of those frames (before padding)
 * @param framesIn        frames handed to a receive sink
 * @param bytesIn         bytes of those frames (after padding)
 * @param framesDuplicated extra copies the fault injector made of frames this device sent
 * @param framesReordered frames this device sent that were held back
 * @param framesCorrupted frames this device sent whose bits were flipped
 * @param drops           frames this device sent that were lost or refused, by cause
 */
public record DeviceStats(long framesOut, long bytesOut, long framesIn, long bytesIn, long framesDuplicated,
                          long framesReordered, long framesCorrupted, Map<DropCause, Long> drops) {
    /** Copies the drop map. */
    public DeviceStats {
        EnumMap<DropCause, Long> copy = new EnumMap<>(DropCause.class);
        for (DropCause cause : DropCause.values()) {
            copy.put(cause, drops.getOrDefault(cause, 0L));
        }
        drops = Map.copyOf(copy);
    }

    /** Frames dropped for {@code cause}. */
    public long drops(DropCause cause) {
        return drops.get(cause);
    }

    /** Frames dropped for any cause. */
    public long totalDrops() {
        long total = 0;
        for (long d : drops.values()) {
            total += d;
        }
        return total;
    }
}
