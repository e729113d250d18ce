package dev.libos.sim.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SimTime#nanoTimeAdjustment} keeps HotSpot's contract for {@code java.time.Clock}. */
class SimTimeTest {
    private static final long SECOND = 1_000_000_000L;

    /** A source that simulates every thread at a fixed wall-clock time. */
    private static void simulateAt(long epochNanos) {
        SimTime.install(new SimTime.Source() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public long currentTimeMillis() {
                return Math.floorDiv(epochNanos, 1_000_000L);
            }

            @Override
            public long currentTimeNanos() {
                return epochNanos;
            }
        });
    }

    @AfterEach
    void uninstall() {
        SimTime.install(null);
    }

    @Test
    void nanosecondsFromTheOffsetToTheVirtualNow() {
        simulateAt(1_767_225_600L * SECOND + 123_456_789L);
        assertEquals(1024 * SECOND + 123_456_789L, SimTime.nanoTimeAdjustment(1_767_225_600L - 1024));
        assertEquals(-5 * SECOND + 123_456_789L, SimTime.nanoTimeAdjustment(1_767_225_605L), "an offset after now");
    }

    @Test
    void anOffsetTwoToTheThirtyTwoSecondsAwayIsRefusedAsHotSpotDoes() {
        long now = 1_767_225_600L;
        simulateAt(now * SECOND);
        long limit = 1L << 32;
        assertEquals(-1, SimTime.nanoTimeAdjustment(now - limit));
        assertEquals(-1, SimTime.nanoTimeAdjustment(now + limit));
        assertEquals((limit - 1) * SECOND, SimTime.nanoTimeAdjustment(now - limit + 1));
    }

    @Test
    void beforeTheEpochTheNanosecondsStayPositive() {
        simulateAt(-SECOND / 2); // 1969-12-31T23:59:59.5Z
        assertEquals(SECOND / 2, SimTime.nanoTimeAdjustment(-1));
    }
}
