package dev.libos.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The scheduler alone (no hosts): threads that contend for a monitor, a j.u.c lock, a queue
 * with timeouts and sleeps. The order they interleave in depends on the seed only.
 */
class SchedulerDeterminismTest {
    private static final long SECOND = 1_000_000_000L;

    /** Runs the workload under {@code seed}; returns the trace hash and the order of the shared log. */
    static String[] run(long seed) {
        List<String> log = new ArrayList<>();
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        try (Simulation sim = Simulation.start(SimulationConfig.of(seed, 0))) {
            for (int w = 0; w < 4; w++) {
                int worker = w;
                sim.startThread("worker" + w, () -> {
                    for (int i = 0; i < 5; i++) {
                        synchronized (monitor) {
                            log.add("m" + worker + "." + i);
                            Thread.yield(); // unmounts holding the monitor: others block on it
                        }
                        lock.lock();
                        try {
                            log.add("l" + worker + "." + i);
                        } finally {
                            lock.unlock();
                        }
                        queue.add(worker * 100 + i);
                        try {
                            Thread.sleep(10 + worker);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
            sim.startThread("consumer", () -> {
                try {
                    Integer v;
                    while ((v = queue.poll(1, TimeUnit.SECONDS)) != null) {
                        log.add("q" + v);
                    }
                    log.add("timeout");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            sim.run(60 * SECOND);
            assertEquals(List.of(), sim.failures());
            assertEquals(List.of(), sim.nondeterminism());
            return new String[] {sim.trace().hash(), String.join(",", log), Long.toString(sim.clock().nanoTime())};
        }
    }

    @Test
    void sameSeedSameTraceAndOrder() {
        long seed = Long.getLong("libos.sim.seed", 42L);
        String[] first = run(seed);
        String[] second = run(seed);
        System.out.println("seed " + seed + ": " + first[0] + " " + first[1]);
        assertEquals(first[0], second[0], "trace hash");
        assertEquals(first[1], second[1], "interleaving");
        assertTrue(first[1].endsWith("timeout"));
    }

    @Test
    void differentSeedsInterleaveDifferently() {
        Set<String> hashes = new HashSet<>();
        Set<String> orders = new HashSet<>();
        for (long seed = 1; seed <= 8; seed++) {
            String[] r = run(seed);
            hashes.add(r[0]);
            orders.add(r[1]);
        }
        assertEquals(8, hashes.size(), "eight seeds, eight traces");
        assertTrue(orders.size() > 1, "the seed changes the interleaving: " + orders.size());
    }

    @Test
    void virtualTimeMovesOnlyThroughTimers() {
        try (Simulation sim = Simulation.start(SimulationConfig.of(7, 0))) {
            long[] seen = new long[3];
            sim.startThread("spinner", () -> {
                seen[0] = System.nanoTime();
                long sum = 0;
                for (int i = 0; i < 5_000_000; i++) {
                    sum += i; // burns real time, no timer
                }
                seen[1] = System.nanoTime() + (sum & 0);
                try {
                    Thread.sleep(3_600_000); // an hour
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                seen[2] = System.nanoTime();
            });
            long wall = System.nanoTime();
            sim.run(2 * 3600 * SECOND);
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            assertEquals(0, seen[0]);
            assertEquals(seen[0], seen[1], "computing does not move virtual time");
            assertEquals(3600 * SECOND, seen[2], "the sleep ends exactly at its virtual deadline");
            assertEquals(3600 * SECOND, sim.clock().nanoTime());
            System.out.printf("an hour's sleep took %.3f s of wall time (%.0f simulated s per wall s)%n",
                    wallSeconds, 3600 / wallSeconds);
        }
    }

    @Test
    void aPlatformThreadOutsideTheSimulationIsReportedByName() {
        try (Simulation sim = Simulation.start(SimulationConfig.of(3, 0).withStrict(false))) {
            sim.startThread("starter", () -> {
                // Alive for a second, so the step that started it sees it (a thread that has already
                // ended is reported by count only, without its name).
                Thread rogue = new Thread(() -> {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "rogue-worker");
                rogue.start(); // not joined: a simulated thread waiting on it would be a deadlock to the simulation
            });
            sim.run(SECOND);
            List<String> found = sim.nondeterminism();
            System.out.println("reported: " + found);
            assertTrue(found.stream().anyMatch(f -> f.contains("platform thread outside the simulation: \"rogue-worker\"")
                    && f.contains("starter")), found.toString());
        }
        try (Simulation strict = Simulation.start(SimulationConfig.of(3, 0))) {
            strict.startThread("starter", () -> new Thread(() -> { }, "rogue-2").start());
            SimulationException e = org.junit.jupiter.api.Assertions.assertThrows(SimulationException.class,
                    () -> strict.run(SECOND));
            assertTrue(e.getMessage().contains("nondeterminism") && e.getMessage().contains("platform thread"), e.getMessage());
        }
    }
}
