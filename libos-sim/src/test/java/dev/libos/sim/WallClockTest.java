package dev.libos.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The date and time API's clock reads ({@code Instant.now()}, {@code Clock.systemUTC()},
 * {@code LocalDateTime.now()}, {@code new Date()}) answer virtual time on simulated threads.
 */
class WallClockTest {
    private static final Instant EPOCH = Instant.ofEpochMilli(VirtualClock.EPOCH_MILLIS);

    /** Reads every clock at virtual time 0, after 1.5 µs and after an hour; returns the readings and the trace hash. */
    static List<Object> run(long seed) {
        List<Object> seen = new ArrayList<>();
        try (Simulation sim = Simulation.start(SimulationConfig.of(seed, 0))) {
            sim.startThread("reader", () -> {
                seen.add(Instant.now());
                seen.add(Clock.systemUTC().instant());
                seen.add(Clock.systemDefaultZone().millis());
                seen.add(LocalDateTime.now(ZoneOffset.UTC));
                seen.add(ZonedDateTime.now(Clock.systemUTC()));
                seen.add(new Date());
                LockSupport.parkNanos(1_500);
                seen.add(Instant.now());
                try {
                    Thread.sleep(Duration.ofHours(1));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                Instant after = Instant.now();
                seen.add(after);
                // The reading decides a thread's name, which the trace records.
                sim.startThread("woke at " + after, () -> { });
            });
            sim.run(Duration.ofHours(2).toNanos());
            assertEquals(List.of(), sim.failures());
            assertEquals(List.of(), sim.nondeterminism());
            seen.add(sim.trace().hash());
        }
        return seen;
    }

    @Test
    void instantNowOfASimulatedThreadSeesTheVirtualHour() {
        List<Object> seen = run(5);
        System.out.println("readings: " + seen);
        assertEquals(EPOCH, seen.get(0), "Instant.now() at virtual time 0 is the simulation's epoch");
        assertEquals(EPOCH, seen.get(1), "Clock.systemUTC()");
        assertEquals(VirtualClock.EPOCH_MILLIS, seen.get(2), "Clock.systemDefaultZone().millis()");
        assertEquals(LocalDateTime.ofInstant(EPOCH, ZoneOffset.UTC), seen.get(3), "LocalDateTime.now()");
        assertEquals(EPOCH, ((ZonedDateTime) seen.get(4)).toInstant(), "ZonedDateTime.now()");
        assertEquals(new Date(VirtualClock.EPOCH_MILLIS), seen.get(5), "new Date()");
        assertEquals(EPOCH.plusNanos(1_500), seen.get(6), "nanosecond resolution: a 1.5 µs park");
        assertEquals(EPOCH.plusNanos(1_500).plus(Duration.ofHours(1)), seen.get(7), "an hour's sleep is a virtual hour");
    }

    @Test
    void sameSeedSameReadingsAndTrace() {
        List<Object> first = run(11);
        List<Object> second = run(11);
        assertEquals(first, second, "readings and trace hash");
    }

    @Test
    void threadsOutsideTheSimulationReadTheHostClock() {
        try (Simulation sim = Simulation.start(SimulationConfig.of(1, 0))) {
            sim.startThread("sleeper", () -> {
                try {
                    Thread.sleep(Duration.ofDays(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            sim.run(Duration.ofDays(31).toNanos());
            long host = System.currentTimeMillis();
            long instant = Instant.now().toEpochMilli();
            // The driver is not simulated: it reads the host's clock, not the virtual 2026-01-31.
            assertTrue(Math.abs(instant - host) < 60_000, "Instant.now() " + instant + " vs host " + host);
        }
    }
}
