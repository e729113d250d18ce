package dev.libos.net.netty;

import dev.libos.api.net.Readiness;
import io.netty.channel.IoOps;

/**
 * The readiness a channel is interested in ({@link Readiness} bits), submitted to its
 * {@link io.netty.channel.IoRegistration}. Instances are shared: {@link #of(int)} never allocates.
 */
public final class LibosIoOps implements IoOps {
    /** Every bit a socket can report. */
    static final int ALL = Readiness.READ | Readiness.WRITE | Readiness.CONNECT | Readiness.ACCEPT;
    private static final LibosIoOps[] CACHE = new LibosIoOps[ALL + 1];

    static {
        for (int bits = 0; bits <= ALL; bits++) {
            CACHE[bits] = new LibosIoOps(bits);
        }
    }

    private final int bits;

    private LibosIoOps(int bits) {
        this.bits = bits;
    }

    /**
     * The ops for {@code bits}.
     *
     * @throws IllegalArgumentException for a bit that is not a {@link Readiness} bit
     */
    public static LibosIoOps of(int bits) {
        if ((bits & ~ALL) != 0) {
            throw new IllegalArgumentException("not readiness bits: " + bits);
        }
        return CACHE[bits];
    }

    /** The {@link Readiness} bits. */
    public int bits() {
        return bits;
    }

    @Override
    public String toString() {
        return "LibosIoOps(" + Readiness.toString(bits) + ")";
    }
}
