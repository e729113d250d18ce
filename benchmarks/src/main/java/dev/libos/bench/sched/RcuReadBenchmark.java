package dev.libos.bench.sched;

import dev.libos.api.sync.Rcu;
import dev.libos.api.sync.RcuPointer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Read-side cost: an RCU read section (readLock; read the pointer; readUnlock) on libos threads
 * against the read lock of a {@link ReentrantReadWriteLock} guarding a plain field, on platform
 * threads. One operation is one read section that loads the published value's payload.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RcuReadBenchmark {
    static final int SINGLE_READS = 1_000_000;
    /** Split over one reader per CPU (libos readers pinned one per CPU). */
    static final int ALL_CPU_READS = 1_000_000;
    static final long PAYLOAD = 7;

    /** The published value. */
    record Box(long payload) {
    }

    /** One read section; returns the payload it saw. */
    interface Reader {
        long read();
    }

    @Param({"libos", "rrwl"})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    private ImplState state;
    private Reader reader;
    private WorkerPool single;
    private WorkerPool allCpus;

    @Setup(Level.Trial)
    public void setUp() {
        state = ImplState.open(impl, load, Impl.LIBOS, Impl.RRWL);
        reader = state.impl() == Impl.LIBOS ? rcuReader(state.os().sync().rcu()) : rrwlReader();
        single = state.newPool(1, false);
        allCpus = state.newPool(Kernel.cpus(), true);
    }

    private static Reader rcuReader(Rcu rcu) {
        RcuPointer<Box> pointer = rcu.newPointer(new Box(PAYLOAD));
        return () -> {
            rcu.readLock();
            try {
                return pointer.read().payload();
            } finally {
                rcu.readUnlock();
            }
        };
    }

    private static Reader rrwlReader() {
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        Box[] guarded = {new Box(PAYLOAD)};
        ReentrantReadWriteLock.ReadLock readLock = lock.readLock();
        return () -> {
            readLock.lock();
            try {
                return guarded[0].payload();
            } finally {
                readLock.unlock();
            }
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }

    @Benchmark
    @OperationsPerInvocation(SINGLE_READS)
    public void readSingle(Blackhole blackhole) {
        long[] sums = new long[1];
        single.run(List.of(() -> sums[0] = readLoop(SINGLE_READS)));
        check(sums, SINGLE_READS);
        blackhole.consume(sums);
    }

    @Benchmark
    @OperationsPerInvocation(ALL_CPU_READS)
    public void readAllCpus(Blackhole blackhole) {
        int threads = Kernel.cpus();
        long[] sums = new long[threads];
        List<Workers.Task> tasks = new ArrayList<>(threads);
        for (int k = 0; k < threads; k++) {
            int slot = k;
            int share = ImplState.share(ALL_CPU_READS, threads, k);
            tasks.add(() -> sums[slot] = readLoop(share));
        }
        allCpus.run(tasks);
        check(sums, ALL_CPU_READS);
        blackhole.consume(sums);
    }

    private long readLoop(int reads) {
        long sum = 0;
        for (int i = 0; i < reads; i++) {
            sum += reader.read();
        }
        return sum;
    }

    private static void check(long[] sums, long reads) {
        long total = 0;
        for (long sum : sums) {
            total += sum;
        }
        // The pool's completion count (a volatile read) orders the readers' writes of sums before these reads.
        if (total != reads * PAYLOAD) {
            throw new IllegalStateException("readers saw " + total + ", expected " + reads * PAYLOAD);
        }
    }
}
