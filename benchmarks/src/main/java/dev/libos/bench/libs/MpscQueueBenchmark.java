package dev.libos.bench.libs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The scheduler's wakeup queue ({@code Cpu.incoming}, also the timer inbox and RCU's callback
 * queue): libos's {@code MpscLinkedQueue} against JCTools' VarHandle queues
 * (jctools-core-jdk11).
 *
 * <ul>
 *   <li>{@link #offerPoll}: one thread offers and polls one element: the cost a wakeup pays when
 *       the queue is uncontended (the common case: one waker at a time);</li>
 *   <li>{@link #transfer}: {@code producers} platform threads offer as fast as they can, each at
 *       most {@link #IN_FLIGHT} elements ahead of the consumer (so the queue stays bounded and the
 *       GC measures nothing), and the benchmark thread is the consumer; one operation is one
 *       element received.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MpscQueueBenchmark {
    static final int IN_FLIGHT = 1024;

    @Param({MpscQueues.LIBOS, MpscQueues.JCTOOLS_LINKED, MpscQueues.JCTOOLS_ARRAY})
    public String impl;

    private final Object element = new Token(-1);
    private MpscQueues.Queue singleThreadQueue;

    /** What a producer offers: always the same object, so the elements allocate nothing. */
    record Token(int producer) {
    }

    @Setup(Level.Trial)
    public void setUp() {
        singleThreadQueue = MpscQueues.of(impl);
    }

    /** One element through the queue on one thread (no producer threads run). */
    @Benchmark
    public Object offerPoll() {
        singleThreadQueue.offer(element);
        return singleThreadQueue.poll();
    }

    /** One element received from the producers. */
    @Benchmark
    public Object transfer(Producers producers) {
        MpscQueues.Queue queue = producers.queue;
        Object taken;
        while ((taken = queue.poll()) == null) {
            Thread.onSpinWait();
        }
        Token token = (Token) taken;
        AtomicLongArray received = producers.received;
        // Single writer per slot (this thread): a release store, no read-modify-write.
        received.setRelease(token.producer(), received.getPlain(token.producer()) + 1);
        return token;
    }

    /** The producer threads of {@link #transfer}, started and stopped per trial. */
    @State(Scope.Benchmark)
    public static class Producers {
        @Param({"1", "2"})
        public int producers;

        MpscQueues.Queue queue;
        /** Elements of producer i taken by the consumer: written by the consumer only (release). */
        AtomicLongArray received;
        private volatile boolean running;
        private final List<Thread> threads = new ArrayList<>();

        @Setup(Level.Trial)
        public void start(MpscQueueBenchmark benchmark) {
            queue = MpscQueues.of(benchmark.impl);
            received = new AtomicLongArray(producers);
            running = true;
            for (int p = 0; p < producers; p++) {
                Token token = new Token(p);
                Thread thread = new Thread(() -> produce(token), "mpsc-producer-" + p);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void produce(Token token) {
            long sent = 0;
            while (running) {
                if (sent - received.getAcquire(token.producer()) < IN_FLIGHT) {
                    queue.offer(token);
                    sent++;
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(10_000);
                if (thread.isAlive()) {
                    throw new IllegalStateException(thread.getName() + " still running after 10 s");
                }
            }
            threads.clear();
        }
    }
}
