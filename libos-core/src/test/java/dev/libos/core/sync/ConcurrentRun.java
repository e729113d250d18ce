package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs tasks on threads from a {@link ThreadFactory}, released together by a start gate, and
 * reports the first failure of any of them. Waiting is bounded by the caller's test timeout.
 */
final class ConcurrentRun {
    /** A task body that may throw. */
    @FunctionalInterface
    interface Task {
        void run(int index) throws Exception;
    }

    private final ThreadFactory factory;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch startGate = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ConcurrentRun(ThreadFactory factory) {
        this.factory = factory;
    }

    /** Creates (does not yet release) {@code count} threads running {@code task} with indexes 0..count-1. */
    ConcurrentRun add(int count, Task task) {
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = factory.newThread(() -> {
                try {
                    startGate.await();
                    task.run(index);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Releases every thread, waits for all of them and rethrows the first failure. */
    void runAndJoin() throws InterruptedException {
        startGate.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        Throwable t = failure.get();
        if (t != null) {
            fail("a task failed", t);
        }
    }

    /** Starts one platform thread running {@code body} at once; {@link #join(Thread)} checks it. */
    static Thread start(String name, AtomicReference<Throwable> failure, Task body) {
        Thread thread = Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run(0);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        return thread;
    }

    /** Joins {@code thread} (bounded) and rethrows the first recorded failure. */
    static void join(Thread thread, AtomicReference<Throwable> failure) throws InterruptedException {
        if (!thread.join(java.time.Duration.ofSeconds(10))) {
            fail(thread.getName() + " did not finish; state " + thread.getState());
        }
        if (failure.get() != null) {
            fail("thread failed", failure.get());
        }
    }

    /** Awaits {@code latch} for at most 10 s, failing otherwise. */
    static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(10, TimeUnit.SECONDS)) {
            fail("latch not reached");
        }
    }
}
