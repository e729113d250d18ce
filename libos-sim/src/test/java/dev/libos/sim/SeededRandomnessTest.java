package dev.libos.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The JDK's unseeded random sources, used on a simulated thread, draw from the simulation's
 * seed: two runs of one seed in one JVM see the same values (without the agent's rewrite each
 * of them continues JVM-wide state, or reads the OS, and the second run differs), two seeds
 * see different values, and the simulation names the source it served.
 */
class SeededRandomnessTest {
    /** One value of {@code source}, read on a simulated thread, with what the simulation served. */
    private static Object[] draw(long seed, Supplier<Object> source) {
        Object[] value = new Object[1];
        try (Simulation sim = Simulation.start(SimulationConfig.of(seed, 0))) {
            sim.startThread("user", () -> value[0] = source.get());
            sim.run(1_000_000_000L);
            assertEquals(List.of(), sim.failures());
            assertEquals(List.of(), sim.nondeterminism());
            return new Object[] {value[0], sim.seededJdkRandomness(), sim.trace().hash()};
        }
    }

    private static void seeded(String name, Supplier<Object> source) {
        Object[] first = draw(21, source);
        Object[] again = draw(21, source);
        Object[] other = draw(22, source);
        System.out.println(name + ": seed 21 " + first[0] + ", again " + again[0] + ", seed 22 " + other[0]
                + "; served " + first[1]);
        assertEquals(first[0], again[0], name + ": the same seed gives the same value");
        assertEquals(first[2], again[2], name + ": and the same trace");
        assertNotEquals(first[0], other[0], name + ": another seed another value");
        @SuppressWarnings("unchecked")
        Map<String, Long> served = (Map<String, Long>) first[1];
        assertTrue(served.containsKey(name), name + " is named among what the simulation served: " + served);
    }

    @Test
    void newRandom() {
        seeded("new Random()", () -> new Random().nextLong());
    }

    @Test
    void threadLocalRandom() {
        seeded("ThreadLocalRandom.current()", () -> ThreadLocalRandom.current().nextLong());
    }

    @Test
    void mathRandom() {
        seeded("Math.random()", Math::random);
        seeded("StrictMath.random()", StrictMath::random);
    }

    @Test
    void uuidRandomUuid() {
        seeded("SecureRandom.nextBytes", UUID::randomUUID);
    }

    @Test
    void secureRandom() {
        seeded("SecureRandom.nextBytes", () -> new SecureRandom().nextLong());
        seeded("SecureRandom.nextBytes", () -> {
            byte[] bytes = new byte[20];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        });
        seeded("SecureRandom.generateSeed", () -> HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
    }

    @Test
    void splittableRandomAndTheDefaultGenerator() {
        seeded("new SplittableRandom()", () -> new SplittableRandom().nextLong());
        seeded("RandomGenerator.of(..).create()", () -> RandomGenerator.getDefault().nextLong());
        seeded("RandomGenerator.of(..).create()", () -> RandomGenerator.of("Xoshiro256PlusPlus").nextLong());
    }

    @Test
    void collectionsShuffle() {
        seeded("Collections.shuffle(List)", () -> {
            List<Integer> list = new ArrayList<>(IntStream.range(0, 20).boxed().toList());
            Collections.shuffle(list);
            return list;
        });
    }

    @Test
    void threadsOutsideTheSimulationKeepTheJdksRandomness() {
        try (Simulation sim = Simulation.start(SimulationConfig.of(1, 0))) {
            // The driver is not simulated: nothing is drawn from the seed for it.
            long a = new Random().nextLong();
            UUID u = UUID.randomUUID();
            assertNotEquals(a, new Random().nextLong());
            assertNotEquals(u, UUID.randomUUID());
            assertEquals(Map.of(), sim.seededJdkRandomness());
        }
    }
}
