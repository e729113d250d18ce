package dev.libos.bench.sched;

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Yield: two threads of the impl's kind each call {@link Thread#yield()} {@link #YIELDS} times at
 * the same time (unpinned: the scheduler places them). One operation is one yield on each thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class YieldBenchmark {
    static final int YIELDS = 10_000;

    @Param({"libos", "platform-threads", "jdk-virtual-threads"})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    private ImplState state;
    private WorkerPool yielders;

    @Setup(Level.Trial)
    public void setUp() {
        state = ImplState.open(impl, load, Impl.LIBOS, Impl.PLATFORM_THREADS, Impl.JDK_VIRTUAL_THREADS);
        yielders = state.newPool(2, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public void yieldBoth(Blackhole blackhole) {
        long[] done = new long[2];
        Workers.Task first = () -> done[0] = yieldLoop();
        Workers.Task second = () -> done[1] = yieldLoop();
        yielders.run(List.of(first, second));
        // The pool's completion count (a volatile read) orders the workers' writes before these reads.
        if (done[0] != YIELDS || done[1] != YIELDS) {
            throw new IllegalStateException("yield loops ended early: " + done[0] + ", " + done[1]);
        }
        blackhole.consume(done);
    }

    private static long yieldLoop() {
        long count = 0;
        for (int i = 0; i < YIELDS; i++) {
            Thread.yield();
            count++;
        }
        return count;
    }
}
