package dev.libos.net.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4): numbers are compared through
 * their signed 32-bit difference, which is right as long as the two are less than 2^31 apart.
 */
public final class Seq {
    private Seq() {
    }

    /** {@code a < b} in sequence space. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a <= b} in sequence space. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** {@code a > b} in sequence space. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** {@code a >= b} in sequence space. */
    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** The later of two sequence numbers. */
    public static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }

    /** The earlier of two sequence numbers. */
    public static int min(int a, int b) {
        return lt(a, b) ? a : b;
    }

    /** True when {@code start <= s < start + length} in sequence space ({@code length >= 0}). */
    public static boolean inWindow(int s, int start, long length) {
        return Integer.toUnsignedLong(s - start) < length;
    }
}
