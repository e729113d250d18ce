package dev.libos.bench.sched;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Wakeup latency: two threads of the same kind pass a ball back and forth with
 * {@link LockSupport#park}/{@link LockSupport#unpark} and a volatile turn. One operation is one
 * round trip (A wakes B, B wakes A). The two are long-lived workers ({@link WorkerPool}); neither
 * libos thread is pinned: the scheduler places them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WakeupBenchmark {
    static final int ROUND_TRIPS = 2_000;

    @Param({"libos", "platform-threads", "jdk-virtual-threads"})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    private ImplState state;
    private WorkerPool players;

    @Setup(Level.Trial)
    public void setUp() {
        state = ImplState.open(impl, load, Impl.LIBOS, Impl.PLATFORM_THREADS, Impl.JDK_VIRTUAL_THREADS);
        players = state.newPool(2, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void pingPong() {
        PingPong game = new PingPong();
        game.players[PingPong.A] = players.thread(PingPong.A);
        game.players[PingPong.B] = players.thread(PingPong.B);
        players.run(java.util.List.of(() -> game.play(PingPong.A, ROUND_TRIPS), () -> game.play(PingPong.B, ROUND_TRIPS)));
        long expectedPasses = 2L * ROUND_TRIPS;
        if (game.passes != expectedPasses || game.turn != PingPong.A) {
            throw new IllegalStateException("ping-pong lost the ball: passes=" + game.passes
                    + " expected=" + expectedPasses + " turn=" + game.turn);
        }
    }

    /** The ball: whose turn it is; each player waits for its turn, passes, and wakes the other. */
    static final class PingPong {
        static final int A = 0;
        static final int B = 1;

        final Thread[] players = new Thread[2];
        /** Whose turn it is. Written by the player handing over, after its pass is counted. */
        volatile int turn = A;
        /** Passes so far; written only by the player whose turn it is (the volatile turn orders it). */
        long passes;

        void play(int me, int rounds) {
            int other = 1 - me;
            Thread otherThread = players[other];
            for (int i = 0; i < rounds; i++) {
                // Spurious wakeups and early unparks are harmless: re-check the turn each time.
                while (turn != me) {
                    LockSupport.park(this);
                }
                passes++;
                // Volatile store: publishes passes++ to the other player, which reads turn first.
                turn = other;
                LockSupport.unpark(otherThread);
            }
        }
    }
}
