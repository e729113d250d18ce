package dev.libos.core.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.timer.TimerWheel.Timer;
import dev.libos.core.timer.TimerWheel.TimerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deterministic tests: every time is passed by hand, nothing reads a clock. */
class TimerWheelTest {
    private static final long TICK = 1_000; // 1 µs ticks
    private static final int SLOTS = 8;     // one revolution = 8 µs, so "far future" is cheap to reach
    private static final long START = 5_000_000;

    private final List<String> fired = new ArrayList<>();
    private final TimerWheel wheel = new TimerWheel(TICK, SLOTS, START);

    private Runnable record(String name) {
        return () -> fired.add(name);
    }

    @Test
    void firesAtDeadlineAndNotBefore() {
        Timer timer = wheel.schedule(START + 2_500, record("a"));
        assertEquals(0, wheel.poll(START + 2_499, 10));
        assertEquals(List.of(), fired);
        assertTrue(timer.isPending());
        assertEquals(1, wheel.poll(START + 2_500, 10));
        assertEquals(List.of("a"), fired);
        assertEquals(TimerState.FIRED, timer.state());
        assertEquals(0, wheel.size());
        assertEquals(0, wheel.poll(START + 100_000, 10), "a fired timer never fires twice");
    }

    @Test
    void firesLateWhenPolledLate() {
        wheel.schedule(START + 1_000, record("a"));
        assertEquals(1, wheel.poll(START + 1_000_000, 10));
        assertEquals(List.of("a"), fired);
    }

    @Test
    void pastDeadlineFiresOnNextPoll() {
        wheel.poll(START + 50_000, 10);
        wheel.schedule(START + 10_000, record("past"));
        wheel.schedule(START - 1, record("beforeStart"));
        assertEquals(START - 1, wheel.nextDeadlineNanos());
        assertEquals(2, wheel.poll(START + 50_000, 10));
        assertEquals(List.of("beforeStart", "past"), fired);
    }

    @Test
    void firesInDeadlineOrderWithinAndAcrossTicks() {
        wheel.schedule(START + 1_900, record("c"));
        wheel.schedule(START + 1_100, record("a"));
        wheel.schedule(START + 1_500, record("b1"));
        wheel.schedule(START + 1_500, record("b2")); // same deadline: schedule order
        wheel.schedule(START + 700, record("first"));
        wheel.schedule(START + 9_100, record("nextRound")); // same slot as tick 1, one round later
        assertEquals(5, wheel.poll(START + 5_000, 100));
        assertEquals(List.of("first", "a", "b1", "b2", "c"), fired);
        assertEquals(1, wheel.size());
        assertEquals(START + 9_100, wheel.nextDeadlineNanos());
    }

    @Test
    void partOfATickIsDueOnlyUpToNow() {
        wheel.schedule(START + 3_200, record("early"));
        wheel.schedule(START + 3_800, record("late"));
        assertEquals(1, wheel.poll(START + 3_500, 10));
        assertEquals(List.of("early"), fired);
        assertEquals(1, wheel.poll(START + 3_800, 10));
        assertEquals(List.of("early", "late"), fired);
    }

    @Test
    void cancelBeforeFire() {
        Timer timer = wheel.schedule(START + 1_000, record("a"));
        assertTrue(wheel.cancel(timer));
        assertFalse(wheel.cancel(timer), "second cancel reports nothing stopped");
        assertEquals(TimerState.CANCELLED, timer.state());
        assertEquals(0, wheel.size());
        assertEquals(Long.MAX_VALUE, wheel.nextDeadlineNanos());
        assertEquals(0, wheel.poll(START + 10_000, 10));
        assertEquals(List.of(), fired);
    }

    @Test
    void cancelAfterFireReturnsFalse() {
        Timer timer = wheel.schedule(START, record("a"));
        wheel.poll(START, 1);
        assertFalse(wheel.cancel(timer));
        assertEquals(TimerState.FIRED, timer.state());
    }

    @Test
    void cancelOfAnotherWheelsTimerIsRejected() {
        TimerWheel other = new TimerWheel(TICK, SLOTS, START);
        Timer foreign = other.schedule(START + 1, record("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wheel.cancel(foreign));
        assertTrue(e.getMessage().contains("another wheel"), e.getMessage());
    }

    @Test
    void cancelFromInsideAnotherCallbackInTheSameTick() {
        Timer[] victim = new Timer[1];
        wheel.schedule(START + 1_100, () -> {
            fired.add("killer");
            assertTrue(wheel.cancel(victim[0]));
        });
        victim[0] = wheel.schedule(START + 1_200, record("victim"));
        Timer later = wheel.schedule(START + 1_300, record("later"));
        assertEquals(2, wheel.poll(START + 2_000, 10));
        assertEquals(List.of("killer", "later"), fired);
        assertEquals(TimerState.CANCELLED, victim[0].state());
        assertEquals(TimerState.FIRED, later.state());
    }

    @Test
    void cancelFromInsideACallbackOfATimerInALaterTick() {
        Timer[] victim = new Timer[1];
        wheel.schedule(START + 1_000, () -> wheel.cancel(victim[0]));
        victim[0] = wheel.schedule(START + 3_000, record("victim"));
        assertEquals(1, wheel.poll(START + 4_000, 10));
        assertEquals(List.of(), fired);
        assertEquals(0, wheel.size());
    }

    @Test
    void rescheduleFromCallback() {
        int[] runs = {0};
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            runs[0]++;
            if (runs[0] < 3) {
                wheel.schedule(START + runs[0] * 10_000L, self[0]);
            }
        };
        wheel.schedule(START, self[0]);
        assertEquals(1, wheel.poll(START, 10));
        assertEquals(1, wheel.size());
        assertEquals(START + 10_000, wheel.nextDeadlineNanos());
        assertEquals(0, wheel.poll(START + 9_999, 10));
        assertEquals(1, wheel.poll(START + 10_000, 10));
        assertEquals(1, wheel.poll(START + 20_000, 10));
        assertEquals(3, runs[0]);
        assertEquals(0, wheel.size());
    }

    @Test
    void callbackSchedulingAnAlreadyDueTimerFiresItInThisPollWhenALaterTickRemains() {
        wheel.schedule(START + 1_000, () -> {
            fired.add("parent");
            wheel.schedule(START, record("child")); // already due
        });
        assertEquals(2, wheel.poll(START + 5_000, 10));
        assertEquals(List.of("parent", "child"), fired);
    }

    @Test
    void callbackReschedulingItselfAtNowCannotLoopForever() {
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            fired.add("spin");
            wheel.schedule(START, self[0]); // always due
        };
        wheel.schedule(START, self[0]);
        assertEquals(1, wheel.poll(START, 1_000));
        assertEquals(1, wheel.poll(START, 1_000));
        assertEquals(1, wheel.size());
    }

    @Test
    void farFutureTimersFireAfterManyRevolutions() {
        long far = START + 1_000L * SLOTS * TICK + 300; // a thousand revolutions away
        Timer farTimer = wheel.schedule(far, record("far"));
        Timer near = wheel.schedule(START + 3 * TICK, record("near"));
        assertEquals(START + 3 * TICK, wheel.nextDeadlineNanos());
        // Walk through every revolution: the far timer shares slots with near ticks but must wait.
        for (long now = START; now < far; now += TICK) {
            wheel.poll(now, 10);
        }
        assertEquals(List.of("near"), fired);
        assertEquals(TimerState.FIRED, near.state());
        assertTrue(farTimer.isPending());
        assertEquals(far, wheel.nextDeadlineNanos());
        assertEquals(1, wheel.poll(far, 10));
        assertEquals(List.of("near", "far"), fired);
    }

    @Test
    void farFutureTimerFiresWhenPolledInOneJump() {
        long far = START + 1_000_000_000L;
        wheel.schedule(far, record("far"));
        assertEquals(far, wheel.nextDeadlineNanos(), "found by the full scan when beyond one revolution");
        assertEquals(0, wheel.poll(far - 1, 10));
        assertEquals(1, wheel.poll(Long.MAX_VALUE / 2, 10));
        assertEquals(List.of("far"), fired);
    }

    @Test
    void limitLeavesTheRestPendingInOrder() {
        for (int i = 0; i < 5; i++) {
            wheel.schedule(START + 1_000 + i, record("t" + i)); // one tick
        }
        wheel.schedule(START + 7_000, record("t5")); // another tick
        assertEquals(2, wheel.poll(START + 10_000, 2));
        assertEquals(List.of("t0", "t1"), fired);
        assertEquals(4, wheel.size());
        assertEquals(START + 1_002, wheel.nextDeadlineNanos());
        assertEquals(3, wheel.poll(START + 10_000, 3));
        assertEquals(1, wheel.poll(START + 10_000, 3));
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4", "t5"), fired);
    }

    @Test
    void limitMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wheel.poll(START, 0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void constructorRejectsBadGeometry() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel(0, 8, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TimerWheel(1, 12, 0));
        assertTrue(e.getMessage().contains("12"), e.getMessage());
    }

    @Test
    void periodicFiresWithoutDrift() {
        List<Long> at = new ArrayList<>();
        long[] now = {0};
        Timer periodic = wheel.schedulePeriodic(START + 1_000, 2_500, () -> at.add(now[0]));
        // Poll late every time by a varying amount: deadlines stay on the 1000 + k * 2500 grid.
        long[] polls = {START + 1_200, START + 3_900, START + 6_000, START + 8_600};
        for (long p : polls) {
            now[0] = p;
            assertEquals(1, wheel.poll(p, 10));
        }
        assertEquals(List.of(polls[0], polls[1], polls[2], polls[3]), at);
        assertEquals(START + 11_000, periodic.deadlineNanos());
        assertTrue(periodic.isPending());
        assertEquals(1, wheel.size());
    }

    @Test
    void periodicSkipsMissedPeriodsInsteadOfBursting() {
        int[] runs = {0};
        Timer periodic = wheel.schedulePeriodic(START + 1_000, 1_000, () -> runs[0]++);
        assertEquals(1, wheel.poll(START + 10_500, 100), "one firing for ten missed periods");
        assertEquals(1, runs[0]);
        assertEquals(START + 11_000, periodic.deadlineNanos());
        assertEquals(0, wheel.poll(START + 10_999, 100));
        assertEquals(1, wheel.poll(START + 11_000, 100));
        assertEquals(START + 12_000, periodic.deadlineNanos());
    }

    @Test
    void periodicCancelStopsFutureFirings() {
        int[] runs = {0};
        Timer periodic = wheel.schedulePeriodic(START + 1_000, 1_000, () -> runs[0]++);
        wheel.poll(START + 1_000, 10);
        wheel.poll(START + 2_000, 10);
        assertTrue(wheel.cancel(periodic));
        assertEquals(TimerState.CANCELLED, periodic.state());
        assertEquals(0, wheel.poll(START + 100_000, 10));
        assertEquals(2, runs[0]);
        assertEquals(0, wheel.size());
    }

    @Test
    void periodicCanCancelItselfFromItsCallback() {
        int[] runs = {0};
        Timer[] self = new Timer[1];
        self[0] = wheel.schedulePeriodic(START + 1_000, 1_000, () -> {
            if (++runs[0] == 3) {
                assertTrue(wheel.cancel(self[0]));
            }
        });
        for (long now = START; now < START + 20_000; now += 1_000) {
            wheel.poll(now, 10);
        }
        assertEquals(3, runs[0]);
        assertEquals(TimerState.CANCELLED, self[0].state());
        assertEquals(0, wheel.size());
    }

    @Test
    void periodicRejectsNonPositivePeriod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> wheel.schedulePeriodic(START, -5, () -> { }));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
    }

    @Test
    void throwingCallbackIsCountedAndReportedAndTheWheelKeepsWorking() {
        List<Throwable> sunk = new ArrayList<>();
        TimerWheel reporting = new TimerWheel(TICK, SLOTS, START, sunk::add);
        RuntimeException boom = new RuntimeException("boom");
        reporting.schedule(START + 1_000, () -> {
            throw boom;
        });
        reporting.schedule(START + 1_001, record("after"));
        Timer periodic = reporting.schedulePeriodic(START + 1_002, 5_000, () -> {
            throw new IllegalStateException("periodic boom");
        });
        assertEquals(3, reporting.poll(START + 2_000, 10));
        assertEquals(List.of("after"), fired);
        assertEquals(2, reporting.callbackFailures());
        assertSame(boom, sunk.get(0));
        assertTrue(periodic.isPending(), "a throwing periodic timer keeps its period");
        assertEquals(1, reporting.poll(START + 6_002, 10));
        assertEquals(3, reporting.callbackFailures());
        // A sink that throws is ignored too.
        TimerWheel badSink = new TimerWheel(TICK, SLOTS, START, t -> {
            throw new RuntimeException("sink");
        });
        badSink.schedule(START, () -> {
            throw boom;
        });
        badSink.schedule(START, record("survivor"));
        assertEquals(2, badSink.poll(START, 10));
        assertEquals(1, badSink.callbackFailures());
        assertEquals(List.of("after", "survivor"), fired);
    }

    @Test
    void pollFromACallbackIsRejected() {
        List<Throwable> sunk = new ArrayList<>();
        TimerWheel reporting = new TimerWheel(TICK, SLOTS, START, sunk::add);
        reporting.schedule(START, () -> reporting.poll(START, 1));
        reporting.poll(START, 1);
        assertEquals(1, sunk.size());
        assertTrue(sunk.get(0) instanceof IllegalStateException, String.valueOf(sunk.get(0)));
    }

    @Test
    void clockGoingBackwardsDoesNotRewindTheWheel() {
        wheel.poll(START + 10_000, 10);
        wheel.schedule(START + 10_500, record("a"));
        assertEquals(0, wheel.poll(START + 1_000, 10));
        assertEquals(1, wheel.poll(START + 10_500, 10));
        assertEquals(List.of("a"), fired);
    }

    @Test
    void nextDeadlineTracksScheduleCancelAndFire() {
        assertEquals(Long.MAX_VALUE, wheel.nextDeadlineNanos());
        Timer b = wheel.schedule(START + 5_000, record("b"));
        Timer a = wheel.schedule(START + 2_000, record("a"));
        Timer far = wheel.schedule(START + 500_000, record("far"));
        assertEquals(START + 2_000, wheel.nextDeadlineNanos());
        wheel.cancel(a);
        assertEquals(START + 5_000, wheel.nextDeadlineNanos());
        wheel.poll(START + 5_000, 10);
        assertEquals(START + 500_000, wheel.nextDeadlineNanos());
        wheel.cancel(far);
        assertEquals(Long.MAX_VALUE, wheel.nextDeadlineNanos());
        assertEquals(TimerState.FIRED, b.state());
    }
}
