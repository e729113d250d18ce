package dev.libos.bench.net;

import dev.libos.bench.sched.CompetingLoad;
import java.nio.ByteBuffer;
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
 * TCP request/response: the client writes a {@code size}-byte request, the server reads all of it
 * and writes it back, the client reads all of the reply and compares it with the request. One
 * operation is one round trip; one connection per trial, TCP_NODELAY on both ends. Each request
 * differs from the last (its first and last bytes carry the round-trip number), so a stale or
 * misordered reply fails the benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TcpRequestResponseBenchmark {
    static final int ROUND_TRIPS = 1_000;

    @Param({NetSide.LIBOS, NetSide.LINUX_LOOPBACK})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    /** Bytes in each request and in each reply. */
    @Param({"1", "1024"})
    public int size;

    private NetTrial trial;
    private StreamEnd server;
    private StreamEnd client;
    private ByteBuffer serverBuffer;
    private ByteBuffer request;
    private ByteBuffer reply;
    /** Round trips done: written by the worker threads, read after the batch (the pool's join orders it). */
    private long served;
    private long answered;
    private long roundTripNumber;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        trial = NetTrial.open(impl, load);
        StreamEnd[] ends = trial.connectTcp();
        server = ends[NetTrial.SERVER];
        client = ends[NetTrial.CLIENT];
        serverBuffer = ByteBuffer.allocateDirect(size);
        request = ByteBuffer.allocateDirect(size);
        reply = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            request.put(i, (byte) (i * 7 + 1));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        trial.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void roundTrip() {
        long servedBefore = served;
        long answeredBefore = answered;
        trial.run(this::serve, this::ask);
        NetTrial.check("round trips served", servedBefore + ROUND_TRIPS, served);
        NetTrial.check("round trips answered", answeredBefore + ROUND_TRIPS, answered);
    }

    private void serve() throws Exception {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            serverBuffer.clear();
            server.readFully(serverBuffer);
            server.writeFully(serverBuffer.flip());
            served++;
        }
    }

    private void ask() throws Exception {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            long n = roundTripNumber++;
            request.put(0, (byte) n).put(size - 1, (byte) (n >>> 8));
            client.writeFully(request.clear());
            client.readFully(reply.clear());
            if (reply.flip().mismatch(request.clear()) != -1) {
                throw new IllegalStateException("reply " + n + " differs from its request at byte "
                        + reply.mismatch(request));
            }
            answered++;
        }
    }
}
