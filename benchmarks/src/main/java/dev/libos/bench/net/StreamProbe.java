package dev.libos.bench.net;

import dev.libos.api.LibOS;
import dev.libos.api.thread.CpuStats;
import dev.libos.bench.sched.CompetingLoad;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.tcp.TcpCounter;
import dev.libos.net.tcp.TcpCounters;
import java.nio.ByteBuffer;

/**
 * Where a libos TCP stream's time goes: runs the libos side of {@link TcpStreamBenchmark}
 * (64 KiB writes, the server reads into a 64 KiB buffer) in rounds and prints, per write, the
 * time and the process's CPU time (equal: the time is spent computing, not waiting), each CPU's
 * counters, and each stack's TCP counters for the round (segments, retransmissions, delayed
 * ACKs, window-trimmed segments). Run:
 * {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * dev.libos.bench.net.StreamProbe [WRITES [quiet|loaded]]}.
 */
public final class StreamProbe {
    private static final int CHUNK = TcpStreamBenchmark.CHUNK_BYTES;
    private static final int ROUNDS = 8;

    private StreamProbe() {
    }

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        String load = args.length > 1 ? args[1] : CompetingLoad.QUIET;
        try (NetTrial trial = NetTrial.open(NetSide.LIBOS, load)) {
            LibosHosts hosts = (LibosHosts) trial.side();
            LibOS os = hosts.os();
            StreamEnd[] ends = trial.connectTcp();
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
            ByteBuffer serverBuffer = ByteBuffer.allocateDirect(CHUNK);
            long[] reads = new long[1];
            for (int round = 0; round < ROUNDS; round++) { // the first rounds warm the code (and the heap) up
                CpuStats[] before = CpuStatsDelta.snapshot(os);
                TcpCounters clientBefore = tcp(hosts.clientNetwork());
                TcpCounters serverBefore = tcp(hosts.serverNetwork());
                reads[0] = 0;
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                trial.run(() -> {
                    long left = (long) writes * CHUNK;
                    while (left > 0) {
                        serverBuffer.clear().limit((int) Math.min(CHUNK, left));
                        if (ends[NetTrial.SERVER].read(serverBuffer) < 0) {
                            throw new IllegalStateException("stream ended");
                        }
                        left -= serverBuffer.position();
                        reads[0]++;
                    }
                }, () -> {
                    for (int i = 0; i < writes; i++) {
                        ends[NetTrial.CLIENT].writeFully(chunk.clear());
                    }
                });
                long elapsed = System.nanoTime() - start;
                long cpuUsed = processCpuNanos() - cpuStart;
                CpuStats[] after = CpuStatsDelta.snapshot(os);
                System.out.printf("round %d: %d writes, %.1f us per 64 KiB write (process CPU %.1f us), %.2f reads per write%n", round,
                        writes, elapsed / 1e3 / writes, cpuUsed / 1e3 / writes, (double) reads[0] / writes);
                CpuStatsDelta.printPer("write", before, after, writes);
                print("client", clientBefore, tcp(hosts.clientNetwork()), writes);
                print("server", serverBefore, tcp(hosts.serverNetwork()), writes);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static TcpCounters tcp(StackNetwork network) {
        return network.withStack(() -> network.tcp().connectionCounters());
    }

    private static void print(String host, TcpCounters before, TcpCounters after, int writes) {
        StringBuilder sb = new StringBuilder("  " + host + " tcp counts:");
        for (TcpCounter c : TcpCounter.values()) {
            long d = after.get(c) - before.get(c);
            if (d != 0) {
                sb.append(' ').append(c.name().toLowerCase()).append(' ').append(d);
            }
        }
        System.out.println(sb);
    }
}
