package example.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.sim.SimHost;
import dev.libos.sim.Simulation;
import dev.libos.sim.junit.LibosSimulation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The invariant: every acknowledged write survives any single host crash and any partition,
 * once healed. h0 leads, h1 and h2 follow, h3 is the client. Per seed, one fault: a crash of
 * one of the three servers (restarted later, its disk as the power cut left it) or a partition
 * isolating one of them (healed later), at a time and for a duration the seed picks.
 *
 * <p>Checked twice: when a crashed server boots again, its log must hold every write
 * acknowledged before the crash (it acknowledged them itself, or, the leader, fsynced them
 * before replicating); and at the end every server's log holds every acknowledged write.
 */
class KvSimulationTest {
    private static final long MILLI = 1_000_000L;
    private static final int WRITES = 12;
    private static final int CLIENT_PORT = 7000;
    private static final int REPLICATION_PORT = 7001;

    @LibosSimulation(hosts = 4, seeds = 200, replayProperties = Follower.BUG_PROPERTY)
    void acknowledgedWritesSurviveACrashOrAPartition(Simulation sim) {
        List<String> acked = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            startServer(sim.host(h), sim, List.of(), violations);
        }
        SimHost clientHost = sim.host(3);
        boolean[] clientDone = {false};
        clientHost.start("client", () -> {
            try (KvClient client = new KvClient(new InetSocketAddress(sim.host(0).address(), CLIENT_PORT))) {
                for (int i = 0; i < WRITES; i++) {
                    while (client.put("k" + i, "v" + i) < 0) {
                        Thread.sleep(50);
                    }
                    synchronized (acked) {
                        acked.add("k" + i);
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                return;
            }
            clientDone[0] = true;
        });

        SplittableRandom random = sim.random();
        int victim = random.nextInt(3);
        long at = (20 + random.nextInt(300)) * MILLI;
        long duration = (50 + random.nextInt(600)) * MILLI;
        boolean crash = random.nextBoolean();
        boolean[] healed = {false};
        if (crash) {
            SimHost host = sim.host(victim);
            List<String> ackedAtCrash = new ArrayList<>();
            sim.schedule(at, "crash " + host.name(), () -> {
                synchronized (acked) {
                    ackedAtCrash.addAll(acked);
                }
                host.crash();
            });
            sim.schedule(at + duration, "boot " + host.name(), () -> {
                host.boot();
                startServer(host, sim, ackedAtCrash, violations);
                healed[0] = true;
            });
        } else {
            int[] sides = {0, 0, 0, 0};
            sides[victim] = 1;
            sim.schedule(at, "partition", () -> sim.partition(sides));
            sim.schedule(at + duration, "heal", () -> {
                sim.heal();
                healed[0] = true;
            });
        }

        boolean finished = sim.runUntil(() -> clientDone[0] && healed[0], 120_000 * MILLI);
        assertEquals(List.of(), sim.failures());
        assertTrue(finished, "the client's writes all complete once the fault is healed (" + sim.summary() + ")");
        assertEquals(List.of(), violations, (crash ? "crash of h" : "partition of h") + victim);
        // Replication catches up, then every server holds every acknowledged write.
        long settle = sim.clock().nanoTime() + 3_000 * MILLI;
        sim.runUntil(() -> sim.clock().nanoTime() >= settle, settle);
        for (int h = 0; h < 3; h++) {
            List<String> keys = keysOn(sim, sim.host(h));
            for (String k : acked) {
                assertTrue(keys.contains(k), "acknowledged " + k + " missing on h" + h + " at the end");
            }
        }
    }

    /** Starts h's server; first, on a rebooted host, checks its log holds {@code mustHold}. */
    private static void startServer(SimHost host, Simulation sim, List<String> mustHold, List<String> violations) {
        host.start("main", () -> {
            try {
                List<String> keys = keys(DurableLog.open(Path.of("/data/kv.log")));
                for (String k : mustHold) {
                    if (!keys.contains(k)) {
                        synchronized (violations) {
                            violations.add(host.name() + " lost acknowledged " + k + " in its crash");
                        }
                    }
                }
                String[] args = host.index() == 0
                        ? new String[] {"leader", Integer.toString(CLIENT_PORT), address(sim, 1) + "," + address(sim, 2)}
                        : new String[] {"follower", Integer.toString(REPLICATION_PORT)};
                KvServer.main(args);
            } catch (Exception e) {
                throw new IllegalStateException(host.name() + ": " + e, e);
            }
        });
    }

    private static String address(Simulation sim, int host) {
        return sim.host(host).address().getHostAddress() + ":" + REPLICATION_PORT;
    }

    private static List<String> keys(DurableLog log) throws IOException {
        List<String> keys = new ArrayList<>();
        for (LogEntry e : log.entries()) {
            keys.add(e.key());
        }
        log.close();
        return keys;
    }

    /** Reads a host's log on one of its threads (java.nio.file's /data is the calling host's). */
    private static List<String> keysOn(Simulation sim, SimHost host) {
        List<String> keys = new ArrayList<>();
        boolean[] done = {false};
        host.start("inspect", () -> {
            try {
                keys.addAll(keys(DurableLog.open(Path.of("/data/kv.log"))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            done[0] = true;
        });
        sim.runUntil(() -> done[0], sim.clock().nanoTime() + 1_000 * MILLI);
        assertTrue(done[0], "inspecting " + host.name());
        return keys;
    }
}
