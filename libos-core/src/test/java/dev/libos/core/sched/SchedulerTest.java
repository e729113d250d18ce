package dev.libos.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SchedulerTest {
    private Kernel kernel;

    @AfterEach
    void shutdown() {
        TestKernels.shutdown(kernel);
    }

    @Test
    void pingPongBetweenTwoLibosThreadsCompletesEveryRound() throws Exception {
        kernel = TestKernels.boot(2);
        int rounds = 100_000;
        AtomicInteger seenByB = new AtomicInteger();
        Thread[] pair = new Thread[2];
        pair[1] = kernel.threads().builder().name("pong").unstarted(() -> {
            for (int i = 0; i < rounds; i++) {
                while (seenByB.get() == i) {
                    LockSupport.park();
                }
                LockSupport.unpark(pair[0]);
            }
        });
        pair[0] = kernel.threads().builder().name("ping").unstarted(() -> {
            for (int i = 0; i < rounds; i++) {
                seenByB.incrementAndGet();
                LockSupport.unpark(pair[1]);
                LockSupport.park(); // a spurious return only makes the next round start early
            }
        });
        pair[1].start();
        pair[0].start();
        TestKernels.join(pair[0], 30);
        TestKernels.join(pair[1], 30);
        assertEquals(rounds, seenByB.get());
    }

    /**
     * On a single CPU, a thread blocked in each standard JDK way must give the CPU to the thread
     * that will unblock it; if any of them held the CPU, this would never finish.
     */
    @Test
    void standardBlockingYieldsTheOnlyCpu() throws Exception {
        kernel = TestKernels.boot(1);
        List<String> done = new ArrayList<>();
        // LockSupport.park
        Thread parked = kernel.threads().start("parked", LockSupport::park);
        Thread unparker = kernel.threads().start("unparker", () -> {
            while (parked.getState() != Thread.State.WAITING) {
                Thread.yield();
            }
            LockSupport.unpark(parked);
        });
        TestKernels.join(parked, 10);
        TestKernels.join(unparker, 10);
        done.add("park");

        // Thread.sleep, while another thread counts on the same CPU
        AtomicLong spins = new AtomicLong();
        CountDownLatch sleeperDone = new CountDownLatch(1);
        Thread counter = kernel.threads().start("counter", () -> {
            while (sleeperDone.getCount() > 0) {
                spins.incrementAndGet();
                Thread.yield();
            }
        });
        Thread sleeper = kernel.threads().start("sleeper", () -> {
            try {
                long before = spins.get();
                Thread.sleep(20);
                if (spins.get() == before) {
                    throw new AssertionError("nothing ran while this thread slept");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                sleeperDone.countDown();
            }
        });
        TestKernels.join(sleeper, 10);
        TestKernels.join(counter, 10);
        done.add("sleep");

        // Object.wait / notify
        Object monitor = new Object();
        boolean[] ready = new boolean[1];
        Thread waiter = kernel.threads().start("waiter", () -> {
            synchronized (monitor) {
                while (!ready[0]) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        });
        Thread notifier = kernel.threads().start("notifier", () -> {
            synchronized (monitor) {
                ready[0] = true;
                monitor.notifyAll();
            }
        });
        TestKernels.join(waiter, 10);
        TestKernels.join(notifier, 10);
        done.add("monitor");

        // A contended ReentrantLock held across a park
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch holderHasLock = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = kernel.threads().start("holder", () -> {
            lock.lock();
            try {
                holderHasLock.countDown();
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                lock.unlock();
            }
        });
        Thread contender = kernel.threads().start("contender", () -> {
            try {
                holderHasLock.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            release.countDown();
            lock.lock();
            lock.unlock();
        });
        TestKernels.join(holder, 10);
        TestKernels.join(contender, 10);
        done.add("j.u.c lock");

        // A blocking java.net socket read on loopback, served by another libos thread
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serverThread = kernel.threads().start("server", () -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    out.write(in.read() + 1);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            int[] reply = new int[1];
            Thread client = kernel.threads().start("client", () -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    s.getOutputStream().write(41);
                    reply[0] = s.getInputStream().read();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            TestKernels.join(client, 10);
            TestKernels.join(serverThread, 10);
            assertEquals(42, reply[0]);
        }
        done.add("socket");
        assertEquals(List.of("park", "sleep", "monitor", "j.u.c lock", "socket"), done);
    }

    @Test
    void pinnedThreadsRunOnlyOnTheirCpu() throws Exception {
        kernel = TestKernels.boot(2);
        List<Thread> threads = new ArrayList<>();
        Set<String> violations = ConcurrentHashMap.newKeySet();
        for (int cpu = 0; cpu < 2; cpu++) {
            for (int t = 0; t < 4; t++) {
                int pinnedTo = cpu;
                threads.add(kernel.threads().builder().name("pinned-" + cpu + "-" + t).cpu(cpu).start(() -> {
                    for (int i = 0; i < 2000; i++) {
                        if (kernel.cpus().current() != pinnedTo) {
                            violations.add(Thread.currentThread().getName() + " ran on " + kernel.cpus().current());
                        }
                        if (i % 3 == 0) {
                            Thread.yield();
                        } else {
                            LockSupport.parkNanos(1000);
                        }
                    }
                }));
            }
        }
        for (Thread t : threads) {
            TestKernels.join(t, 30);
        }
        assertEquals(Set.of(), violations);
        assertThrows(IllegalArgumentException.class, () -> kernel.threads().builder().cpu(2));
    }

    @Test
    void loadBalancingMovesThreadsFromABusyCpuToAnIdleOne() throws Exception {
        kernel = TestKernels.boot(2);
        Set<Integer> cpusSeen = ConcurrentHashMap.newKeySet();
        List<Thread> workers = new ArrayList<>();
        // All workers start on CPU 0: they are created by a thread pinned there.
        Thread spawner = kernel.threads().builder().name("spawner").cpu(0).start(() -> {
            for (int w = 0; w < 8; w++) {
                workers.add(kernel.threads().start("worker-" + w, () -> {
                    for (int i = 0; i < 20_000 && cpusSeen.size() < 2; i++) {
                        cpusSeen.add(kernel.cpus().current());
                        Thread.yield();
                    }
                }));
            }
        });
        TestKernels.join(spawner, 10);
        for (Thread w : workers) {
            TestKernels.join(w, 30);
        }
        assertEquals(Set.of(0, 1), cpusSeen);
        assertTrue(kernel.cpus().stats(0).migratedOut() > 0, kernel.cpus().stats(0).toString());
    }

    @Test
    void pollersRunOnTheirCpuLoop() throws Exception {
        kernel = TestKernels.boot(2);
        CountDownLatch polled = new CountDownLatch(100);
        Set<Integer> cpus = ConcurrentHashMap.newKeySet();
        AutoCloseable registration = kernel.cpus().addPoller(1, now -> {
            cpus.add(kernel.cpus().current());
            polled.countDown();
            return 0;
        });
        assertTrue(polled.await(10, TimeUnit.SECONDS));
        registration.close();
        assertEquals(Set.of(1), cpus, "a poller runs on the loop of the CPU it was registered on");
        assertTrue(kernel.cpus().stats(1).pollerCalls() >= 100);
    }

    @Test
    void shutdownInterruptsBlockedThreadsAndStrandsNone() throws Exception {
        kernel = TestKernels.boot(2);
        CountDownLatch blocked = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            kernel.threads().start("blocked-" + i, () -> {
                blocked.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    // the orderly shutdown interrupted us: end
                }
            });
        }
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        assertEquals(0, kernel.shutdown(java.time.Duration.ofMillis(50)));
        assertEquals(0, kernel.threads().liveThreads());
        assertThrows(IllegalStateException.class, () -> kernel.threads().start("late", () -> { }));
    }

    @Test
    void shutdownReportsAThreadThatIgnoresInterrupts() throws Exception {
        kernel = TestKernels.boot(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger stop = new AtomicInteger();
        Thread stubborn = kernel.threads().start("stubborn", () -> {
            started.countDown();
            while (stop.get() == 0) {
                LockSupport.park(); // ignores interrupts
                Thread.interrupted();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertEquals(1, kernel.shutdown(java.time.Duration.ofMillis(50)));
        assertFalse(kernel.isRunning());
        stop.set(1);
        LockSupport.unpark(stubborn);
        kernel = null; // already shut down, with the stranding reported
    }
}
