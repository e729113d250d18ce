package dev.libos.bench.sched;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Thread lifecycle: a driver thread of the impl's kind creates, starts and joins a thread of the
 * same kind that only counts itself, {@link #SPAWNS} times. One operation is one spawn+join.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpawnBenchmark {
    static final int SPAWNS = 1_000;

    @Param({"libos", "platform-threads", "jdk-virtual-threads"})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    private ImplState state;
    private WorkerPool driver;

    @Setup(Level.Trial)
    public void setUp() {
        state = ImplState.open(impl, load, Impl.LIBOS, Impl.PLATFORM_THREADS, Impl.JDK_VIRTUAL_THREADS);
        driver = state.newPool(1, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public void spawnJoin() {
        Workers workers = state.workers();
        AtomicInteger ran = new AtomicInteger();
        Runnable nothing = ran::incrementAndGet;
        driver.run(java.util.List.of(() -> {
            for (int i = 0; i < SPAWNS; i++) {
                Thread child = workers.unstarted("child", -1, nothing);
                child.start();
                child.join();
            }
        }));
        if (ran.get() != SPAWNS) {
            throw new IllegalStateException("spawned " + SPAWNS + " threads but " + ran.get() + " ran");
        }
    }
}
