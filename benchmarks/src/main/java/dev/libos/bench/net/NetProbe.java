package dev.libos.bench.net;

import dev.libos.api.LibOS;
import dev.libos.api.thread.CpuStats;
import dev.libos.bench.sched.CompetingLoad;
import java.nio.ByteBuffer;

/**
 * Where a libos TCP round trip's time goes, by the CPU counters: runs 1-byte request/response
 * round trips on the libos side of {@link TcpRequestResponseBenchmark} and prints, per round
 * trip, the time and each CPU's dispatches, wakeups, idle parks and poller calls. Run:
 * {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * [-Dlibos.idle.maxParkMicros=N] dev.libos.bench.net.NetProbe [ROUND_TRIPS [quiet|loaded]]}: {@code loaded}
 * runs one busy platform thread per host CPU beside it ({@link CompetingLoad}).
 */
public final class NetProbe {
    private NetProbe() {
    }

    public static void main(String[] args) throws Exception {
        int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        String load = args.length > 1 ? args[1] : CompetingLoad.QUIET;
        try (NetTrial trial = NetTrial.open(NetSide.LIBOS, load)) {
            LibOS os = ((LibosHosts) trial.side()).os();
            StreamEnd[] ends = trial.connectTcp();
            ByteBuffer serverBuffer = ByteBuffer.allocateDirect(1);
            ByteBuffer request = ByteBuffer.allocateDirect(1);
            ByteBuffer reply = ByteBuffer.allocateDirect(1);
            for (int round = 0; round < 3; round++) { // the first rounds warm the code up
                CpuStats[] before = CpuStatsDelta.snapshot(os);
                long start = System.nanoTime();
                trial.run(() -> {
                    for (int i = 0; i < roundTrips; i++) {
                        ends[NetTrial.SERVER].readFully(serverBuffer.clear());
                        ends[NetTrial.SERVER].writeFully(serverBuffer.flip());
                    }
                }, () -> {
                    for (int i = 0; i < roundTrips; i++) {
                        ends[NetTrial.CLIENT].writeFully(request.clear().put(0, (byte) i));
                        ends[NetTrial.CLIENT].readFully(reply.clear());
                        NetTrial.check("reply", (byte) i, reply.get(0));
                    }
                });
                long elapsed = System.nanoTime() - start;
                CpuStats[] after = CpuStatsDelta.snapshot(os);
                System.out.printf("round %d: %d round trips, %.1f us per round trip%n", round, roundTrips,
                        elapsed / 1e3 / roundTrips);
                CpuStatsDelta.printPer("round trip", before, after, roundTrips);
            }
        }
    }
}
