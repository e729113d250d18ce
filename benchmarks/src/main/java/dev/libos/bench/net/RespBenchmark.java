package dev.libos.bench.net;

import dev.libos.bench.sched.CompetingLoad;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * RESP commands against examples/kv's server ({@link RespServer}): on libos, Netty NIO over the
 * server host's libos stack; the baseline {@value #LINUX_EPOLL}, Netty's epoll transport on
 * Linux's loopback. The client is the same code on both: one connection from the client worker
 * of the trial's {@link NetSide} (a libos thread on the libos client host, or a platform thread
 * with a java.nio channel on loopback), writing {@code pipeline} commands at a time and reading
 * all their replies before the next batch. Commands alternate SET bench N (a 16-digit value
 * carrying the command's number) and GET bench; every reply is compared byte for byte with
 * what the server must answer (+OK, then the value just set), so a lost, stale or misordered
 * reply fails the benchmark. One operation is one command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RespBenchmark {
    /** Netty's native epoll transport on 127.0.0.1, the client over java.nio on loopback. */
    static final String LINUX_EPOLL = "linux-epoll";
    static final int COMMANDS = 1024;
    private static final int DIGITS = 16;
    private static final byte[] SET_HEAD = ascii("*3\r\n$3\r\nSET\r\n$5\r\nbench\r\n$" + DIGITS + "\r\n");
    private static final byte[] GET = ascii("*2\r\n$3\r\nGET\r\n$5\r\nbench\r\n");
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] BULK_HEAD = ascii("$" + DIGITS + "\r\n");
    private static final byte[] CRLF = ascii("\r\n");

    @Param({NetSide.LIBOS, LINUX_EPOLL})
    public String impl;

    /** Quiet, or beside one busy platform thread per host CPU ({@link CompetingLoad}). */
    @Param({CompetingLoad.QUIET, CompetingLoad.LOADED})
    public String load;

    /** Commands written before their replies are read (1: request/response; redis-benchmark's -P). */
    @Param({"1", "16"})
    public int pipeline;

    private NetTrial trial;
    private RespServer server;
    private StreamEnd client;
    private ByteBuffer requests;
    private ByteBuffer expected;
    private ByteBuffer replies;
    private long commandNumber;
    private long answered;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (COMMANDS % pipeline != 0 || pipeline % 2 != 0 && pipeline != 1) {
            throw new IllegalArgumentException("pipeline must be 1 or an even divisor of " + COMMANDS + ": " + pipeline);
        }
        boolean libos = impl.equals(NetSide.LIBOS);
        if (!libos && !impl.equals(LINUX_EPOLL)) {
            throw new IllegalArgumentException("unknown impl: " + impl);
        }
        trial = NetTrial.open(libos ? NetSide.LIBOS : NetSide.LINUX_LOOPBACK, load);
        try {
            server = libos ? RespServer.onLibos((LibosHosts) trial.side()) : RespServer.onLinuxEpoll(trial.side());
            client = trial.connectTcp(server.address());
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
        int batch = Math.max(2, pipeline);
        requests = ByteBuffer.allocateDirect(batch * (SET_HEAD.length + DIGITS + 2 + GET.length));
        expected = ByteBuffer.allocate(batch * (OK.length + BULK_HEAD.length + DIGITS + 2));
        replies = ByteBuffer.allocateDirect(expected.capacity());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            trial.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public void setGet() {
        long before = answered;
        trial.run(() -> { }, this::ask);
        NetTrial.check("commands answered", before + COMMANDS, answered);
    }

    private void ask() throws Exception {
        for (int done = 0; done < COMMANDS; done += pipeline) {
            requests.clear();
            expected.clear();
            for (int i = 0; i < pipeline; i++) {
                addCommand();
            }
            client.writeFully(requests.flip());
            replies.clear().limit(expected.position());
            client.readFully(replies);
            if (replies.flip().mismatch(expected.flip()) != -1) {
                throw new IllegalStateException("command " + commandNumber + ": reply differs from the expected one at byte "
                        + replies.mismatch(expected) + ": " + StandardCharsets.US_ASCII.decode(replies.duplicate()));
            }
            answered += pipeline;
        }
    }

    /** Appends the next command (SET or GET, alternately) and the reply it must get. */
    private void addCommand() {
        long n = commandNumber++;
        if (n % 2 == 0) {
            requests.put(SET_HEAD);
            putDigits(requests, n);
            requests.put(CRLF);
            expected.put(OK);
        } else {
            requests.put(GET);
            expected.put(BULK_HEAD);
            putDigits(expected, n - 1);
            expected.put(CRLF);
        }
    }

    private static void putDigits(ByteBuffer out, long value) {
        int at = out.position();
        for (int i = DIGITS - 1; i >= 0; i--) {
            out.put(at + i, (byte) ('0' + value % 10));
            value /= 10;
        }
        out.position(at + DIGITS);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
