package dev.libos.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.Poller;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A device's wakeup that lands between a pass's last poll and the park (the window a frame can
 * arrive in) must not be lost: the CPU takes another pass instead of parking on the frame.
 */
class KickTest {

    /**
     * A poller that plays a device: on its first call it finds nothing, then "receives a frame"
     * and calls Cpus.wake while the CPU is still in the pass (not sleeping). The next call takes
     * the frame. Both calls record the CPU's park count: a lost wakeup would park in between.
     */
    private static final class FrameAfterPoll implements Poller {
        private final Kernel kernel;
        private final CountDownLatch taken = new CountDownLatch(1);
        private boolean armed = true;
        private boolean frame;
        long parksAtArrival = -1;
        long parksAtTake = -1;

        FrameAfterPoll(Kernel kernel) {
            this.kernel = kernel;
        }

        @Override
        public int poll(long nowNanos) {
            if (frame) {
                frame = false;
                parksAtTake = kernel.cpus().stats(0).idleParks();
                taken.countDown();
                return 1;
            }
            if (armed) {
                armed = false;
                frame = true; // arrives just after this poll looked
                parksAtArrival = kernel.cpus().stats(0).idleParks();
                kernel.cpus().wake(0);
            }
            return 0;
        }
    }

    @Test
    void aWakeupBetweenTheLastPollAndTheParkCostsNoPark() throws Exception {
        // No spinning (the next pass must come from the kick, not a poll loop); a long bound so
        // that a lost wakeup would show as a park.
        Kernel kernel = TestKernels.boot(1, "libos.idle.spinMicros=0", "libos.idle.maxParkMicros=1000000");
        try {
            FrameAfterPoll device = new FrameAfterPoll(kernel);
            try (AutoCloseable registration = kernel.cpus().addPoller(0, device)) {
                assertTrue(device.taken.await(30, TimeUnit.SECONDS), "the frame was never taken");
                assertEquals(device.parksAtArrival, device.parksAtTake,
                        "the CPU parked between the wakeup and taking the frame");
            }
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    /** CPU 1's "device": a frame the waker on CPU 0 posts; the poller takes it. */
    private static final class Mailbox implements Poller {
        volatile boolean frame;
        final CountDownLatch taken = new CountDownLatch(1);

        @Override
        public int poll(long nowNanos) {
            if (frame) {
                frame = false;
                taken.countDown();
                return 1;
            }
            return 0;
        }
    }

    /**
     * A wakeup made on another CPU is deferred until the waker's thread blocks (Cpu.kickFrom); a
     * waker that never blocks (it spins on the answer) must still see the target CPU take the
     * frame: the deferral applies only to CPUs with pollers, whose park is bounded.
     */
    @Test
    void aWakerThatSpinsOnTheAnswerIsStillAnswered() throws Exception {
        assertAnswered(false);
    }

    @Test
    void aWakerThatBlocksAfterTheWakeupIsAnswered() throws Exception {
        assertAnswered(true);
    }

    private static void assertAnswered(boolean wakerBlocks) throws Exception {
        Kernel kernel = TestKernels.boot(2, "libos.idle.spinMicros=0", "libos.idle.maxParkMicros=1000");
        try {
            Mailbox mailbox = new Mailbox();
            try (AutoCloseable registration = kernel.cpus().addPoller(1, mailbox)) {
                Thread waker = kernel.threads().builder().name("waker").cpu(0).start(() -> {
                    mailbox.frame = true;
                    kernel.cpus().wake(1);
                    try {
                        if (wakerBlocks) {
                            mailbox.taken.await();
                        } else {
                            while (mailbox.taken.getCount() != 0) {
                                Thread.onSpinWait(); // never blocks: nothing flushes the deferred wakeup
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(mailbox.taken.await(30, TimeUnit.SECONDS), "CPU 1 never took the frame");
                waker.join();
            }
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    /**
     * Ping-pong through "devices": a thread pinned to CPU 0 posts a frame for CPU 1's poller and
     * kicks it; the poller wakes a thread pinned to CPU 1, which answers through CPU 0's mailbox.
     * With CPU 1's carrier parked, CPU 0's carrier may run CPU 1's pass itself (Cpu.lendTo);
     * whichever carrier runs it, the poller and the pinned thread must find themselves on CPU 1,
     * and no round trip may be lost.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"true", "false"})
    void aCpuRunByAnotherCarrierKeepsItsIdentityAndLosesNoWakeup(String lend) throws Exception {
        int rounds = 2_000;
        Kernel kernel = TestKernels.boot(2, "libos.idle.spinMicros=0", "libos.idle.maxParkMicros=1000000",
                "libos.idle.lend=" + lend);
        try {
            java.util.concurrent.atomic.AtomicInteger wrongCpu = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.Semaphore toServer = new java.util.concurrent.Semaphore(0);
            java.util.concurrent.Semaphore toClient = new java.util.concurrent.Semaphore(0);
            java.util.concurrent.atomic.AtomicBoolean frameForCpu1 = new java.util.concurrent.atomic.AtomicBoolean();
            Poller cpu1Device = now -> {
                if (kernel.cpus().current() != 1) {
                    wrongCpu.incrementAndGet();
                }
                if (frameForCpu1.compareAndSet(true, false)) {
                    toServer.release(); // wakes the server thread pinned to CPU 1
                    return 1;
                }
                return 0;
            };
            try (AutoCloseable registration = kernel.cpus().addPoller(1, cpu1Device)) {
                Thread server = kernel.threads().builder().name("server").cpu(1).start(() -> {
                    for (int i = 0; i < rounds; i++) {
                        toServer.acquireUninterruptibly();
                        if (kernel.cpus().current() != 1) {
                            wrongCpu.incrementAndGet();
                        }
                        toClient.release();
                    }
                });
                Thread client = kernel.threads().builder().name("client").cpu(0).start(() -> {
                    for (int i = 0; i < rounds; i++) {
                        frameForCpu1.set(true);
                        kernel.cpus().wake(1); // deferred until this thread blocks just below
                        toClient.acquireUninterruptibly();
                        if (kernel.cpus().current() != 0) {
                            wrongCpu.incrementAndGet();
                        }
                    }
                });
                client.join(60_000);
                server.join(60_000);
                assertTrue(!client.isAlive() && !server.isAlive(), "a round trip was lost");
                assertEquals(0, wrongCpu.get(), "code ran on the wrong virtual CPU");
            }
        } finally {
            TestKernels.shutdown(kernel);
        }
    }
}
