package dev.libos.sim.agent;

import java.security.SecureRandomParameters;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where the JDK's unseeded random sources get their randomness on a simulated thread: the
 * agent ({@link Rewrites}) makes {@code new Random()}, {@code ThreadLocalRandom.current()},
 * {@code new SplittableRandom()}, {@code Math.random()}, every {@code SecureRandom}'s bytes
 * (hence {@code UUID.randomUUID()}), {@code Collections.shuffle(List)} and the
 * {@code RandomGenerator} algorithms' unseeded instances ask here, and a simulated thread gets values drawn from the
 * simulation's seed. Every other thread keeps the JDK's own randomness. Loaded by the boot
 * loader, like {@link SimTime}.
 */
public final class SimRandom {
    /** The simulation's side. */
    public interface Source {
        /** Whether the calling thread is simulated. */
        boolean simulates();

        /** The next seeded value for the calling (simulated) thread, drawn for the JDK source named {@code what}. */
        long nextLong(String what);
    }

    private static volatile Source source;

    private SimRandom() {
    }

    /** Installs {@code value} (null: the JDK's randomness for every thread). */
    public static void install(Source value) {
        source = value;
    }

    /** Asked first by every rewritten method: whether to answer from the seed. */
    public static boolean simulated() {
        Source s = source;
        return s != null && s.simulates();
    }

    /** A seed the JDK computed from JVM-wide state ({@code seedUniquifier}, a static seeder), replaced on a simulated thread. */
    public static long seed(long jdkSeed, String what) {
        Source s = source;
        return s != null && s.simulates() ? s.nextLong(what) : jdkSeed;
    }

    /**
     * A thread id {@code ThreadLocalRandom} adds to its seed at every step: 0 on a simulated
     * thread (ids count JVM-wide, so another run has others; the thread's seed, drawn from the
     * simulation's, already differs per thread).
     */
    public static long threadId(long id, String what) {
        Source s = source;
        return s != null && s.simulates() ? 0 : id;
    }

    /** {@code Math.random()}: 53 seeded bits in [0, 1), as {@code Random.nextDouble} makes them. */
    public static double nextDouble(String what) {
        return (draw(what) >>> 11) * 0x1.0p-53;
    }

    /** {@code SecureRandom.nextBytes(byte[])}. */
    public static void nextBytes(byte[] bytes, String what) {
        fill(bytes, what);
    }

    /** {@code SecureRandom.nextBytes(byte[], SecureRandomParameters)}: the parameters do not change seeded bytes. */
    public static void nextBytes(byte[] bytes, SecureRandomParameters params, String what) {
        if (params == null) {
            throw new NullPointerException("params is null");
        }
        fill(bytes, what);
    }

    /** {@code SecureRandom.generateSeed(int)}. */
    public static byte[] generateSeed(int numBytes, String what) {
        if (numBytes < 0) {
            throw new IllegalArgumentException("numBytes cannot be negative");
        }
        byte[] bytes = new byte[numBytes];
        fill(bytes, what);
        return bytes;
    }

    /** {@code Collections.shuffle(List)}: the JDK shuffles with one JVM-wide {@code Random}; here with a seeded one. */
    public static void shuffle(List<?> list, String what) {
        Collections.shuffle(list, new Random(draw(what)));
    }

    private static void fill(byte[] bytes, String what) {
        int i = 0;
        while (i < bytes.length) {
            long v = draw(what);
            for (int b = 0; b < 8 && i < bytes.length; b++, v >>>= 8) {
                bytes[i++] = (byte) v;
            }
        }
    }

    private static long draw(String what) {
        Source s = source;
        if (s == null) {
            // Only reached when the simulation was uninstalled between the check and the draw.
            throw new IllegalStateException("no simulation installed to draw " + what + " from");
        }
        return s.nextLong(what);
    }
}
