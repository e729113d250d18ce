package dev.libos.bench.netstack;

import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.tcp.TcpConnection;
import dev.libos.net.tcp.TcpLayer;
import dev.libos.net.tcp.TcpListener;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A TCP request/response through two libos-net stacks and nothing else, on one thread: the
 * client connection sends {@code size} bytes, the stacks run (Ethernet, IPv4, TCP, both
 * directions) until the server connection has them, the server sends them back, the stacks run
 * until the client has them. No scheduler, sockets or threads, and a wire that allocates nothing
 * ({@link PairedDevice}): with {@code -prof gc}, {@code gc.alloc.rate.norm} is what the stack
 * allocates per round trip (the target is 0 in steady state). The libos clock advances 1 us per
 * step, so no timer fires in the measurement (the delayed ACK rides on the next request).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TcpStackRoundTripBenchmark {
    static final int ROUND_TRIPS = 1_000;
    private static final Ipv4Address CLIENT = Ipv4Address.parse("10.0.9.1");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.9.2");
    private static final int MTU = 1500;

    /** Only libos: this row has no baseline, it is for its allocation figure. */
    @Param({"libos"})
    public String impl;

    @Param({"1", "1024"})
    public int size;

    private NetStack clientStack;
    private NetStack serverStack;
    private TcpLayer clientTcp;
    private TcpLayer serverTcp;
    private TcpConnection client;
    private TcpConnection server;
    private MemorySegment request;
    private MemorySegment echo;
    private MemorySegment reply;
    private long now;

    @Setup
    public void setUp() {
        PairedDevice a = new PairedDevice(0x02_00_00_09_00_01L, MTU);
        PairedDevice b = new PairedDevice(0x02_00_00_09_00_02L, MTU);
        PairedDevice.connect(a, b);
        clientStack = new NetStack(NetStackSettings.DEFAULTS);
        serverStack = new NetStack(NetStackSettings.DEFAULTS);
        NetInterface clientInterface = clientStack.addInterface(a);
        NetInterface serverInterface = serverStack.addInterface(b);
        clientStack.configure(clientInterface, CLIENT, 24);
        serverStack.configure(serverInterface, SERVER, 24);
        clientTcp = register(clientStack, new TcpLayer(clientStack, TcpConfig.defaults(), new SplittableRandom(1), 4,
                1L << 26));
        serverTcp = register(serverStack, new TcpLayer(serverStack, TcpConfig.defaults(), new SplittableRandom(2), 4,
                1L << 26));
        TcpListener listener = serverTcp.listen(7, 4, 4);
        client = clientTcp.connect(SERVER, 7, now);
        for (int step = 0; step < 100 && server == null; step++) {
            run();
            server = listener.accept();
        }
        if (server == null) {
            throw new IllegalStateException("no connection");
        }
        request = MemorySegment.ofArray(new byte[size]);
        echo = MemorySegment.ofArray(new byte[size]);
        reply = MemorySegment.ofArray(new byte[size]);
    }

    private static TcpLayer register(NetStack stack, TcpLayer tcp) {
        stack.register(IpProtocol.TCP, tcp);
        return tcp;
    }

    private void run() {
        now += 1_000;
        clientTcp.poll(now);
        clientStack.poll(now);
        serverStack.poll(now);
        serverTcp.poll(now);
        serverStack.poll(now);
        clientStack.poll(now);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long roundTrip() {
        long checksum = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            request.set(ValueLayout.JAVA_BYTE, 0, (byte) i);
            exchange(client, request, server, echo);
            exchange(server, echo, client, reply);
            if (reply.get(ValueLayout.JAVA_BYTE, 0) != (byte) i) {
                throw new IllegalStateException("round trip " + i + " came back as " + reply.get(ValueLayout.JAVA_BYTE, 0));
            }
            checksum += reply.get(ValueLayout.JAVA_BYTE, size - 1);
        }
        return checksum;
    }

    /** Sends all of {@code data} from {@code from} and runs the stacks until {@code to} read it all into {@code into}. */
    private void exchange(TcpConnection from, MemorySegment data, TcpConnection to, MemorySegment into) {
        int sent = from.send(data);
        int read = 0;
        for (int step = 0; read < size; step++) {
            if (step > 10_000) {
                throw new IllegalStateException("stalled after " + read + " of " + size + " bytes");
            }
            if (sent < size) {
                sent += from.send(data.asSlice(sent)); // not in steady state: a send takes it all
            }
            run();
            // The whole message arrives in one segment in steady state: no slice (no allocation here).
            read += to.receive(read == 0 ? into : into.asSlice(read));
        }
    }
}
