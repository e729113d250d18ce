package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The selector's spin decisions, driven with explicit times: no clock, no timing. */
class SelectSpinTest {
    private static final long US = 1_000;
    private static final long MAX = 50 * US;

    /** Polls from {@code start} every {@code step} until the spin says park; returns the time it did. */
    private static long spinUntilPark(SelectSpin spin, long start, long step) {
        spin.waitStarted(start);
        long now = start;
        while (spin.keepPolling(now)) {
            now += step;
            if (now - start > 10 * MAX) {
                throw new AssertionError("the spin never parked");
            }
        }
        return now;
    }

    @Test
    void pollsForTheWindowInTimeThenParks() {
        long start = 1_000 * US;
        assertEquals(start + MAX, spinUntilPark(new SelectSpin(MAX), start, US));
        assertEquals(start + MAX, spinUntilPark(new SelectSpin(MAX), start, 5 * US), "time, not a count of polls");
    }

    @Test
    void zeroWindowParksAtOnce() {
        SelectSpin spin = new SelectSpin(0);
        spin.waitStarted(10 * US);
        assertFalse(spin.keepPolling(10 * US));
    }

    @Test
    void aWaitThatParkedParksAgainWithoutSpinning() {
        SelectSpin spin = new SelectSpin(MAX);
        long t = spinUntilPark(spin, 1_000 * US, US);
        spin.parking();
        assertFalse(spin.keepPolling(t + 1), "a wakeup without a ready key goes back to sleep at once");
    }

    @Test
    void aSpinThatCaughtTheKeyKeepsTheWindow() {
        SelectSpin spin = new SelectSpin(MAX);
        spin.waitStarted(1_000 * US);
        assertTrue(spin.keepPolling(1_001 * US));
        spin.waitEnded(1_002 * US);
        assertEquals(MAX, spin.windowNanos());
    }

    @Test
    void aPreemptedSpinParksAndDropsTheWindowThenShortParksGrowItBack() {
        SelectSpin spin = new SelectSpin(MAX);
        long start = 1_000 * US;
        spin.waitStarted(start);
        assertTrue(spin.keepPolling(start + US));
        long afterGap = start + US + SelectSpin.PREEMPTION_GAP_NANOS + 1;
        assertFalse(spin.keepPolling(afterGap), "the host took the core between two polls");
        assertEquals(0, spin.windowNanos());
        spin.parking();
        spin.waitEnded(afterGap + US); // a park that a spin of the full window would have caught
        assertEquals(SelectSpin.GROW_START_NANOS, spin.windowNanos());
        spin.waitStarted(2_000 * US);
        spin.parking();
        spin.waitEnded(2_010 * US);
        assertEquals(2 * SelectSpin.GROW_START_NANOS, spin.windowNanos());
    }

    @Test
    void longParksShrinkTheWindowToZero() {
        SelectSpin spin = new SelectSpin(MAX);
        long t = 1_000 * US;
        for (int i = 0; i < 10; i++) {
            spin.waitStarted(t);
            spin.parking();
            t += 10 * MAX;
            spin.waitEnded(t);
        }
        assertEquals(0, spin.windowNanos());
    }

    @Test
    void theSettingIsValidatedAndNamedInTheError() {
        String old = System.getProperty(SelectSpin.SPIN_MICROS_PROPERTY);
        try {
            System.setProperty(SelectSpin.SPIN_MICROS_PROPERTY, "-1");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SelectSpin::fromSystemProperties);
            assertTrue(e.getMessage().contains(SelectSpin.SPIN_MICROS_PROPERTY));
            System.setProperty(SelectSpin.SPIN_MICROS_PROPERTY, "x");
            assertThrows(IllegalArgumentException.class, SelectSpin::fromSystemProperties);
            System.setProperty(SelectSpin.SPIN_MICROS_PROPERTY, "7");
            assertEquals(7 * US, SelectSpin.fromSystemProperties().windowNanos());
        } finally {
            if (old == null) {
                System.clearProperty(SelectSpin.SPIN_MICROS_PROPERTY);
            } else {
                System.setProperty(SelectSpin.SPIN_MICROS_PROPERTY, old);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SelectSpin(-1));
    }
}
