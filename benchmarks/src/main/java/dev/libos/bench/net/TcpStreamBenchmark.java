package dev.libos.bench.net;

import dev.libos.bench.sched.CompetingLoad;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
 * TCP stream throughput: the client writes {@value #CHUNK_BYTES}-byte chunks on one connection
 * (TCP_NODELAY), the server reads everything into a 64 KiB buffer. One operation is one
 * 64 KiB write that the server has received in full; the score is in ops/s, so
 * {@code ops/s * 65536 * 8 / 1e9} is Gbit/s. The server counts every byte of each batch and
 * keeps a CRC32C of the whole stream, which the trial's teardown compares with the CRC32C of
 * what was written (the chunks cycle through {@value #PATTERNS} different patterns, so lost,
 * repeated or misordered data changes it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TcpStreamBenchmark {
    static final int CHUNK_BYTES = 64 * 1024;
    static final int WRITES = 256;
    static final int PATTERNS = 4;

    @Param({NetSide.LIBOS, NetSide.LINUX_LOOPBACK})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    private NetTrial trial;
    private StreamEnd server;
    private StreamEnd client;
    private final ByteBuffer[] chunks = new ByteBuffer[PATTERNS];
    private ByteBuffer serverBuffer;
    /** Written by the worker threads, read after each batch (the pool's join orders it). */
    private long chunksWritten;
    private long bytesReceived;
    private final CRC32C receivedCrc = new CRC32C();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        trial = NetTrial.open(impl, load);
        StreamEnd[] ends = trial.connectTcp();
        server = ends[NetTrial.SERVER];
        client = ends[NetTrial.CLIENT];
        for (int p = 0; p < PATTERNS; p++) {
            chunks[p] = ByteBuffer.allocateDirect(CHUNK_BYTES);
            for (int i = 0; i < CHUNK_BYTES; i++) {
                chunks[p].put(i, (byte) (i * (2 * p + 3) + p));
            }
        }
        serverBuffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            NetTrial.check("bytes received", chunksWritten * CHUNK_BYTES, bytesReceived);
            CRC32C sentCrc = new CRC32C();
            for (long c = 0; c < chunksWritten; c++) {
                sentCrc.update(chunks[(int) (c % PATTERNS)].clear());
            }
            NetTrial.check("CRC32C of the stream", sentCrc.getValue(), receivedCrc.getValue());
        } finally {
            trial.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(WRITES)
    public void write64KiB() {
        long receivedBefore = bytesReceived;
        trial.run(this::receive, this::send);
        NetTrial.check("bytes received in the batch", (long) WRITES * CHUNK_BYTES, bytesReceived - receivedBefore);
    }

    private void send() throws Exception {
        for (int i = 0; i < WRITES; i++) {
            client.writeFully(chunks[(int) (chunksWritten % PATTERNS)].clear());
            chunksWritten++;
        }
    }

    private void receive() throws Exception {
        long left = (long) WRITES * CHUNK_BYTES;
        while (left > 0) {
            // Never read past this batch: the next batch's bytes belong to the next invocation.
            serverBuffer.clear().limit((int) Math.min(CHUNK_BYTES, left));
            if (server.read(serverBuffer) < 0) {
                throw new IllegalStateException("stream ended with " + left + " bytes of the batch missing");
            }
            receivedCrc.update(serverBuffer.flip());
            left -= serverBuffer.limit();
            bytesReceived += serverBuffer.limit();
        }
    }
}
