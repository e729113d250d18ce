package dev.libos.hw.hosted.net;

import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The live counters of one simulated device. Senders and receivers may run on different
 * threads, so each counter is an atomic slot; {@link #snapshot()} reads them one by one (each
 * value exact, the set not taken at one instant).
 */
final class DeviceCounters {
    private static final int FRAMES_OUT = 0;
    private static final int BYTES_OUT = 1;
    private static final int FRAMES_IN = 2;
    private static final int BYTES_IN = 3;
    private static final int DUPLICATED = 4;
    private static final int REORDERED = 5;
    private static final int CORRUPTED = 6;
    private static final int FIRST_DROP = 7;

    private final AtomicLongArray slots = new AtomicLongArray(FIRST_DROP + DropCause.values().length);

    void sent(int bytes) {
        slots.incrementAndGet(FRAMES_OUT);
        slots.addAndGet(BYTES_OUT, bytes);
    }

    void received(int bytes) {
        slots.incrementAndGet(FRAMES_IN);
        slots.addAndGet(BYTES_IN, bytes);
    }

    void duplicated() {
        slots.incrementAndGet(DUPLICATED);
    }

    void reordered() {
        slots.incrementAndGet(REORDERED);
    }

    void corrupted() {
        slots.incrementAndGet(CORRUPTED);
    }

    void dropped(DropCause cause) {
        slots.incrementAndGet(FIRST_DROP + cause.ordinal());
    }

    DeviceStats snapshot() {
        EnumMap<DropCause, Long> drops = new EnumMap<>(DropCause.class);
        for (DropCause cause : DropCause.values()) {
            drops.put(cause, slots.get(FIRST_DROP + cause.ordinal()));
        }
        return new DeviceStats(slots.get(FRAMES_OUT), slots.get(BYTES_OUT), slots.get(FRAMES_IN),
                slots.get(BYTES_IN), slots.get(DUPLICATED), slots.get(REORDERED), slots.get(CORRUPTED), drops);
    }
}
