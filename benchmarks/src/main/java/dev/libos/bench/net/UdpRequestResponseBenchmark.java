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
 * UDP request/response: the client sends a {@value #DATAGRAM_BYTES}-byte datagram carrying its
 * round-trip number, the server receives it and sends it back, the client receives the reply and
 * checks its length and number. One operation is one round trip, one datagram in flight at a
 * time (a lost datagram would stall the batch and fail it: both paths are lossless here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UdpRequestResponseBenchmark {
    static final int ROUND_TRIPS = 1_000;
    static final int DATAGRAM_BYTES = 64;

    @Param({NetSide.LIBOS, NetSide.LINUX_LOOPBACK})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    private NetTrial trial;
    private DatagramEnd server;
    private DatagramEnd client;
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
        DatagramEnd[] ends = trial.udpPair();
        server = ends[NetTrial.SERVER];
        client = ends[NetTrial.CLIENT];
        // One larger than a datagram, so a datagram that grew on the way would show.
        serverBuffer = ByteBuffer.allocateDirect(DATAGRAM_BYTES + 1);
        request = ByteBuffer.allocateDirect(DATAGRAM_BYTES);
        reply = ByteBuffer.allocateDirect(DATAGRAM_BYTES + 1);
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
            server.receive(serverBuffer.clear());
            NetTrial.check("request length", DATAGRAM_BYTES, serverBuffer.flip().remaining());
            server.send(serverBuffer);
            served++;
        }
    }

    private void ask() throws Exception {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            long n = roundTripNumber++;
            client.send(request.clear().putLong(0, n));
            client.receive(reply.clear());
            NetTrial.check("reply length", DATAGRAM_BYTES, reply.position());
            NetTrial.check("reply number", n, reply.getLong(0));
            answered++;
        }
    }
}
