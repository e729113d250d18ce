package dev.libos.bench.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * Mutex cost: the libos {@code Mutex} on libos threads against {@code ReentrantLock} and
 * {@code synchronized} on platform threads. One operation is one lock; increment; unlock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MutexBenchmark {
    static final int UNCONTENDED_OPS = 100_000;
    /** Split over one thread per CPU (libos threads pinned one per CPU). */
    static final int CONTENDED_OPS = 100_000;

    @Param({"libos", "reentrant-lock", "synchronized"})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    private ImplState state;
    private CriticalSection section;
    private WorkerPool single;
    private WorkerPool allCpus;

    @Setup(Level.Trial)
    public void setUp() {
        state = ImplState.open(impl, load, Impl.LIBOS, Impl.REENTRANT_LOCK, Impl.SYNCHRONIZED);
        section = CriticalSection.of(state);
        single = state.newPool(1, false);
        allCpus = state.newPool(Kernel.cpus(), true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }

    /** One thread alone locks and unlocks. */
    @Benchmark
    @OperationsPerInvocation(UNCONTENDED_OPS)
    public void uncontended() {
        section.reset();
        single.run(List.of(() -> {
            for (int i = 0; i < UNCONTENDED_OPS; i++) {
                section.increment();
            }
        }));
        checkCount(UNCONTENDED_OPS);
    }

    /** One thread per CPU, all incrementing the same counter under the same lock. */
    @Benchmark
    @OperationsPerInvocation(CONTENDED_OPS)
    public void contendedAllCpus() {
        section.reset();
        int threads = Kernel.cpus();
        List<Workers.Task> tasks = new ArrayList<>(threads);
        for (int k = 0; k < threads; k++) {
            int share = ImplState.share(CONTENDED_OPS, threads, k);
            tasks.add(() -> {
                for (int i = 0; i < share; i++) {
                    section.increment();
                }
            });
        }
        allCpus.run(tasks);
        checkCount(CONTENDED_OPS);
    }

    private void checkCount(long expected) {
        // The pool's completion count (a volatile read) orders the workers' increments before this read.
        if (section.counter() != expected) {
            throw new IllegalStateException(impl + " lost updates: counter=" + section.counter() + " expected=" + expected);
        }
    }
}
