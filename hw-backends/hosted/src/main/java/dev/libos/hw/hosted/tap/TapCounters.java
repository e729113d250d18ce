package dev.libos.hw.hosted.tap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The live counters of one TAP device. The receiver and the transmitter run on different
 * threads and a monitor may read at any time, so each counter is an atomic slot; a snapshot
 * reads them one by one (each exact, the set not taken at one instant).
 */
final class TapCounters {
    private static final int FRAMES_IN = 0;
    private static final int BYTES_IN = 1;
    private static final int FRAMES_OUT = 2;
    private static final int BYTES_OUT = 3;
    private static final int RECEIVE_WOULD_BLOCK = 4;
    private static final int TRANSMIT_WOULD_BLOCK = 5;
    private static final int OVERSIZE_DROPPED = 6;
    private static final int RECEIVE_ERRORS = 7;
    private static final int TRANSMIT_ERRORS = 8;

    private final AtomicLongArray slots = new AtomicLongArray(9);

    void received(long bytes) {
        slots.incrementAndGet(FRAMES_IN);
        slots.addAndGet(BYTES_IN, bytes);
    }

    void sent(long bytes) {
        slots.incrementAndGet(FRAMES_OUT);
        slots.addAndGet(BYTES_OUT, bytes);
    }

    void receiveWouldBlock() {
        slots.incrementAndGet(RECEIVE_WOULD_BLOCK);
    }

    void transmitWouldBlock() {
        slots.incrementAndGet(TRANSMIT_WOULD_BLOCK);
    }

    void oversizeDropped() {
        slots.incrementAndGet(OVERSIZE_DROPPED);
    }

    void receiveError() {
        slots.incrementAndGet(RECEIVE_ERRORS);
    }

    void transmitError() {
        slots.incrementAndGet(TRANSMIT_ERRORS);
    }

    TapStats snapshot() {
        return new TapStats(slots.get(FRAMES_IN), slots.get(BYTES_IN), slots.get(FRAMES_OUT), slots.get(BYTES_OUT),
                slots.get(RECEIVE_WOULD_BLOCK), slots.get(TRANSMIT_WOULD_BLOCK), slots.get(OVERSIZE_DROPPED),
                slots.get(RECEIVE_ERRORS), slots.get(TRANSMIT_ERRORS));
    }
}
