package dev.libos.sim;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Initialises, on the driver, the JDK's JVM-wide generators (the common {@code SecureRandom}
 * provider, {@code UUID}'s, {@code Math.random}'s, {@code Collections.shuffle}'s, the
 * {@code ThreadLocalRandom} instance). Their first use seeds them, once per JVM: on a simulated
 * thread that seeding would draw from the simulation's seed in the first run of a JVM and not
 * in the next, and two runs of one seed would draw different values.
 */
final class JdkRandomWarmUp {
    private static boolean done;

    private JdkRandomWarmUp() {
    }

    static synchronized void run() {
        if (done) {
            return;
        }
        new SecureRandom().nextBytes(new byte[8]);
        UUID.randomUUID();
        Math.random();
        StrictMath.random();
        Collections.shuffle(new ArrayList<>(java.util.List.of(1, 2)));
        ThreadLocalRandom.current().nextLong();
        RandomGenerator.getDefault().nextLong();
        RandomGenerator.of("Xoshiro256PlusPlus").nextLong();
        done = true;
    }
}
