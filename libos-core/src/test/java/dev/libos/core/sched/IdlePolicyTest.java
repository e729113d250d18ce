package dev.libos.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The idle policy's decisions, driven with explicit times and a scripted run delay: no clock, no timing. */
class IdlePolicyTest {
    private static final long US = 1_000;
    private static final long MAX = 50 * US;

    /** A run-delay source the test sets. */
    private static final class ScriptedRunDelay implements java.util.function.LongSupplier {
        long value;

        @Override
        public long getAsLong() {
            return value;
        }
    }

    /** Polls from {@code start} every {@code step} until the policy says park; returns the time it did. */
    private static long spinUntilPark(IdlePolicy policy, long start, long step) {
        policy.idleStarted(start);
        long now = start;
        while (policy.keepPolling(now)) {
            now += step;
            if (now - start > 10 * MAX) {
                throw new AssertionError("the policy never parked");
            }
        }
        return now;
    }

    @Test
    void spinsForTheWindowInTimeThenParksAndNeverYields() {
        IdlePolicy policy = new IdlePolicy(MAX, () -> RunDelayProbe.UNKNOWN);
        long start = 1_000 * US;
        long parkedAt = spinUntilPark(policy, start, US);
        assertEquals(start + MAX, parkedAt, "polls while less than the window has passed, measured in time");
        // The same window is crossed in fewer polls when each poll is slower: time, not a poll count.
        IdlePolicy slow = new IdlePolicy(MAX, () -> RunDelayProbe.UNKNOWN);
        assertEquals(start + MAX, spinUntilPark(slow, start, 5 * US));
    }

    @Test
    void aPeriodThatParkedParksAgainWithoutSpinning() {
        IdlePolicy policy = new IdlePolicy(MAX, () -> RunDelayProbe.UNKNOWN);
        long t = spinUntilPark(policy, 1_000 * US, US);
        policy.parking();
        assertFalse(policy.keepPolling(t + 1), "a wakeup without work goes back to sleep at once");
    }

    @Test
    void workCaughtBySpinningKeepsTheWindow() {
        IdlePolicy policy = new IdlePolicy(MAX, () -> RunDelayProbe.UNKNOWN);
        policy.idleStarted(1_000 * US);
        assertTrue(policy.keepPolling(1_001 * US));
        policy.idleEnded(1_002 * US);
        assertEquals(MAX, policy.windowNanos());
    }

    @Test
    void longParksShrinkTheWindowToZeroAndShortOnesGrowItBackToTheMaximum() {
        IdlePolicy policy = new IdlePolicy(MAX, () -> RunDelayProbe.UNKNOWN);
        long t = 1_000 * US;
        long previous = policy.windowNanos();
        for (int i = 0; i < 20 && policy.windowNanos() > 0; i++) {
            long parkedAt = spinUntilPark(policy, t, US);
            policy.parking();
            t = parkedAt + 10 * MAX; // nothing came for long: spinning could not have caught it
            policy.idleEnded(t);
            assertTrue(policy.windowNanos() < previous, "a park longer than the maximum shrinks the window");
            previous = policy.windowNanos();
            t += US;
        }
        assertEquals(0, policy.windowNanos());
        assertFalse(new IdlePolicy(0, () -> 0).keepPolling(0), "a zero maximum parks at once");

        // Wakeups that come soon after the park: a longer spin would have caught them.
        for (int i = 0; i < 20 && policy.windowNanos() < MAX; i++) {
            long parkedAt = spinUntilPark(policy, t, US);
            policy.parking();
            t = parkedAt + 3 * US;
            policy.idleEnded(t);
            assertTrue(policy.windowNanos() > previous, "a park that ended within the maximum grows the window");
            previous = policy.windowNanos();
            t += US;
        }
        assertEquals(MAX, policy.windowNanos(), "growth stops at the maximum");
    }

    @Test
    void aHostContendedByRunDelayParksAtOnceUntilItIsQuietAgain() {
        ScriptedRunDelay delay = new ScriptedRunDelay();
        IdlePolicy policy = new IdlePolicy(MAX, delay);
        long t = 1_000 * US;
        policy.idleStarted(t); // the first sample only records
        policy.idleEnded(t);
        assertFalse(policy.contended());

        // Over the next 2 ms the carrier waited 1 ms for a core: far above 1/8.
        t += 2 * IdlePolicy.SAMPLE_PERIOD_NANOS;
        delay.value += IdlePolicy.SAMPLE_PERIOD_NANOS;
        policy.idleStarted(t);
        assertTrue(policy.contended());
        assertFalse(policy.keepPolling(t), "contended: park at once, leave the core to whoever needs it");
        assertEquals(1, policy.contendedSamples());
        policy.parking();
        policy.idleEnded(t + US); // a short park does not grow the window while contended
        assertEquals(0, policy.windowNanos());

        // The next period's sample: no more waiting. The window grows again from short parks.
        t += 2 * IdlePolicy.SAMPLE_PERIOD_NANOS;
        policy.idleStarted(t);
        assertFalse(policy.contended());
        policy.parking();
        policy.idleEnded(t + 3 * US);
        assertEquals(IdlePolicy.GROW_START_NANOS, policy.windowNanos());
    }

    @Test
    void runDelayIsSampledAtMostOncePerPeriod() {
        int[] reads = new int[1];
        IdlePolicy policy = new IdlePolicy(MAX, () -> {
            reads[0]++;
            return 0;
        });
        long t = 1_000 * US;
        for (int i = 0; i < 100; i++) {
            policy.idleStarted(t + i * US); // 100 idle periods within 100 us
        }
        assertEquals(1, reads[0]);
        policy.idleStarted(t + IdlePolicy.SAMPLE_PERIOD_NANOS);
        assertEquals(2, reads[0]);
    }

    @Test
    void aGapBetweenPollsMeansTheCoreWasTakenAndStopsTheSpin() {
        IdlePolicy policy = new IdlePolicy(MAX, () -> RunDelayProbe.UNKNOWN);
        long t = 1_000 * US;
        policy.idleStarted(t);
        assertTrue(policy.keepPolling(t + US));
        assertFalse(policy.keepPolling(t + US + IdlePolicy.PREEMPTION_GAP_NANOS + 1));
        assertEquals(1, policy.preemptedSpins());
        assertEquals(0, policy.windowNanos());
    }

    @Test
    void outsideWakeupsPreferAPollingIdleCpuThenAParkedOneThenTheShortestQueue() {
        int polling = Scheduler.placementRank(true, false, 0);
        int parked = Scheduler.placementRank(true, true, 0);
        int busyEmpty = Scheduler.placementRank(false, false, 0);
        int busyQueued = Scheduler.placementRank(false, false, 3);
        assertTrue(polling < parked, "a polling CPU sees the wakeup without an unpark");
        assertTrue(parked < busyEmpty, "an unpark beats waiting behind a running thread");
        assertTrue(busyEmpty < busyQueued);
        assertEquals(busyEmpty, Scheduler.placementRank(false, false, -1), "a stale negative length counts as empty");
    }

    @Test
    void rejectsANegativeWindow() {
        assertThrows(IllegalArgumentException.class, () -> new IdlePolicy(-1, () -> 0));
    }

    @Test
    void runDelayIsTheSecondSchedstatFieldAndMalformedTextIsUnknown() {
        assertEquals(4993241, RunDelayProbe.secondField("5777040 4993241 7\n"));
        assertEquals(0, RunDelayProbe.secondField("12 0 3\n"));
        assertEquals(RunDelayProbe.UNKNOWN, RunDelayProbe.secondField("12\n"));
        assertEquals(RunDelayProbe.UNKNOWN, RunDelayProbe.secondField(""));
        assertEquals(RunDelayProbe.UNKNOWN, RunDelayProbe.secondField("1 x 3"));
        assertEquals(RunDelayProbe.UNKNOWN, RunDelayProbe.secondField("1 99999999999999999999999 3"), "overflow");
    }

    @Test
    void theProbeReadsThisThreadsRunDelayOrSaysUnknown() {
        RunDelayProbe probe = new RunDelayProbe();
        long first = probe.getAsLong();
        long second = probe.getAsLong();
        if (first == RunDelayProbe.UNKNOWN) {
            assertEquals(RunDelayProbe.UNKNOWN, second, "a host without schedstat stays unknown");
        } else {
            assertTrue(second >= first, "run delay only grows: " + first + " then " + second);
        }
        probe.close();
    }
}
