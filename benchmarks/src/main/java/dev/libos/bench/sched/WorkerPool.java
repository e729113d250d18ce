package dev.libos.bench.sched;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Long-lived worker threads of one kind that run one batch each per {@link #run} call. Created in
 * a trial's setup, so a benchmark invocation pays a wakeup per worker to hand a batch over and
 * one to be told it is done, not a thread start: on the small VMs this runs on a platform thread
 * start costs hundreds of microseconds, which would bias every comparison against the JDK.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final List<Worker> workers = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The thread waiting in {@link #run}; written before the batch is handed out. */
    private volatile Thread submitter;
    private volatile boolean closed;

    /**
     * Starts {@code size} workers made by {@code kind}; with {@code pinToCpus} worker {@code k}
     * is pinned to CPU {@code k} (libos only).
     */
    public WorkerPool(Workers kind, int size, boolean pinToCpus) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        for (int k = 0; k < size; k++) {
            Worker worker = new Worker();
            worker.thread = kind.unstarted("bench-worker-" + k, pinToCpus ? k : -1, worker);
            workers.add(worker);
        }
        workers.forEach(w -> w.thread.start());
    }

    /** The thread of worker {@code k} (for tasks that must know each other, like ping-pong). */
    public Thread thread(int k) {
        return workers.get(k).thread;
    }

    public int size() {
        return workers.size();
    }

    /**
     * Runs {@code tasks.get(k)} on worker {@code k} and waits for all of them; the first failure
     * is rethrown here.
     *
     * @throws IllegalArgumentException when there are more tasks than workers
     */
    public void run(List<Workers.Task> tasks) {
        if (tasks.size() > workers.size()) {
            throw new IllegalArgumentException(tasks.size() + " tasks for " + workers.size() + " workers");
        }
        failure.set(null);
        submitter = Thread.currentThread();
        running.set(tasks.size());
        for (int k = 0; k < tasks.size(); k++) {
            Worker worker = workers.get(k);
            // Volatile store of the task, after running and submitter: the worker sees both.
            worker.task = tasks.get(k);
            LockSupport.unpark(worker.thread);
        }
        long deadline = System.nanoTime() + STUCK_AFTER.toNanos();
        while (running.get() != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw stuck();
            }
            LockSupport.parkNanos(this, left);
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a worker failed: " + t, t);
        }
    }

    private IllegalStateException stuck() {
        StringBuilder busy = new StringBuilder();
        IllegalStateException e = new IllegalStateException();
        for (Worker w : workers) {
            if (w.task != null) {
                busy.append(' ').append(w.thread);
                e.setStackTrace(w.thread.getStackTrace());
            }
        }
        return new IllegalStateException("batch not done within " + STUCK_AFTER + ", still busy:" + busy + " (scheduler stuck?)", e);
    }

    /** Stops the workers and waits for them to end. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(w -> LockSupport.unpark(w.thread));
        Workers.joinAll(workers.stream().map(w -> w.thread).toList());
    }

    private final class Worker implements Runnable {
        Thread thread;
        /** The batch to run: set by the submitter, cleared by this worker when it is done. */
        volatile Workers.Task task;

        @Override
        public void run() {
            while (true) {
                Workers.Task batch;
                // Park until handed a batch; spurious wakeups just loop.
                while ((batch = task) == null) {
                    if (closed) {
                        return;
                    }
                    LockSupport.park(this);
                }
                try {
                    batch.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                // Clear before counting down: once running reaches 0 the submitter may hand out the next batch.
                task = null;
                if (running.decrementAndGet() == 0) {
                    LockSupport.unpark(submitter);
                }
            }
        }
    }
}
