package dev.libos.core.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.time.ManualClock;
import dev.libos.api.time.TimerHandle;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Kernel timers against an injected clock: nothing fires until the test moves time. */
@Timeout(30)
class KernelTimersTest {
    private static final long MS = 1_000_000;
    private final ManualClock clock = new ManualClock(1_000 * MS);
    private Kernel kernel;

    @AfterEach
    void shutdown() {
        TestKernels.shutdown(kernel);
    }

    /** Runs {@code body} on a libos thread pinned to CPU 0, so every timer it sets is on one wheel. */
    private void onCpu0(Runnable body) throws InterruptedException {
        TestKernels.join(kernel.threads().builder().name("setter").cpu(0).start(body), 10);
    }

    @Test
    void aOneShotTimerFiresOnlyOnceTimeReachesItsDeadline() throws Exception {
        kernel = TestKernels.boot(2, clock);
        CountDownLatch early = new CountDownLatch(1);
        AtomicInteger late = new AtomicInteger();
        onCpu0(() -> {
            kernel.timers().schedule(5 * MS, early::countDown);
            kernel.timers().schedule(10 * MS, late::incrementAndGet);
        });
        clock.advance(5 * MS);
        assertTrue(early.await(10, TimeUnit.SECONDS));
        // Both timers are on CPU 0's wheel, which fires in deadline order: the 10 ms one has not.
        assertEquals(0, late.get());
        CountDownLatch lateFired = new CountDownLatch(1);
        onCpu0(() -> kernel.timers().schedule(5 * MS, lateFired::countDown)); // deadline = 10 ms mark
        clock.advance(5 * MS);
        assertTrue(lateFired.await(10, TimeUnit.SECONDS));
        assertEquals(1, late.get());
        // The counter is published after each poll: the poll that fired the first timer is done.
        assertTrue(kernel.cpus().stats(0).timersFired() >= 1);
    }

    @Test
    void aCancelledTimerNeverFires() throws Exception {
        kernel = TestKernels.boot(2, clock);
        AtomicInteger fired = new AtomicInteger();
        CountDownLatch marker = new CountDownLatch(1);
        AtomicReference<TimerHandle> handle = new AtomicReference<>();
        onCpu0(() -> {
            handle.set(kernel.timers().schedule(5 * MS, fired::incrementAndGet));
            kernel.timers().schedule(6 * MS, marker::countDown);
        });
        assertTrue(handle.get().cancel()); // cancelled from a platform thread, not the owner
        assertFalse(handle.get().cancel());
        assertTrue(handle.get().isCancelled());
        clock.advance(10 * MS);
        assertTrue(marker.await(10, TimeUnit.SECONDS));
        assertEquals(0, fired.get());
    }

    @Test
    void aPeriodicTimerFiresEachPeriodUntilCancelled() throws Exception {
        kernel = TestKernels.boot(1, clock);
        AtomicInteger fired = new AtomicInteger();
        TimerHandle periodic = kernel.timers().schedulePeriodic(10 * MS, 10 * MS, fired::incrementAndGet);
        for (int period = 1; period <= 5; period++) {
            clock.advance(10 * MS);
            CountDownLatch marker = new CountDownLatch(1);
            kernel.timers().schedule(0, marker::countDown);
            assertTrue(marker.await(10, TimeUnit.SECONDS));
        }
        assertEquals(5, fired.get());
        periodic.cancel();
        clock.advance(50 * MS);
        CountDownLatch marker = new CountDownLatch(1);
        kernel.timers().schedule(0, marker::countDown);
        assertTrue(marker.await(10, TimeUnit.SECONDS));
        assertEquals(5, fired.get());
    }

    @Test
    void libosSleepFollowsTheInjectedClock() throws Exception {
        kernel = TestKernels.boot(2, clock);
        CountDownLatch asleep = new CountDownLatch(1);
        AtomicInteger woke = new AtomicInteger();
        Thread sleeper = kernel.threads().start("sleeper", () -> {
            try {
                asleep.countDown();
                kernel.timers().sleep(1_000 * MS);
                woke.incrementAndGet();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(asleep.await(10, TimeUnit.SECONDS));
        while (sleeper.getState() != Thread.State.WAITING) { // parked in sleep: its deadline is set
            Thread.onSpinWait();
        }
        clock.advance(999 * MS);
        assertFalse(sleeper.join(java.time.Duration.ofMillis(50)), "woke before its libos deadline");
        clock.advance(1 * MS);
        TestKernels.join(sleeper, 10);
        assertEquals(1, woke.get());
    }

    @Test
    void negativeDelaysAreRejectedWithTheValue() {
        kernel = TestKernels.boot(1, clock);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernel.timers().schedule(-1, () -> { }));
        assertTrue(e.getMessage().contains("-1"));
        assertThrows(IllegalArgumentException.class, () -> kernel.timers().schedulePeriodic(0, 0, () -> { }));
    }
}
