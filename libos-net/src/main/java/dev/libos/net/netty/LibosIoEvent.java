package dev.libos.net.netty;

import dev.libos.api.net.Readiness;
import io.netty.channel.IoEvent;

/**
 * What the handler tells a channel: the readiness it is interested in that its socket has now
 * ({@link Readiness} bits). Instances are shared: {@link #of(int)} never allocates.
 */
public final class LibosIoEvent implements IoEvent {
    private static final LibosIoEvent[] CACHE = new LibosIoEvent[LibosIoOps.ALL + 1];

    static {
        for (int bits = 0; bits <= LibosIoOps.ALL; bits++) {
            CACHE[bits] = new LibosIoEvent(bits);
        }
    }

    private final int readyBits;

    private LibosIoEvent(int readyBits) {
        this.readyBits = readyBits;
    }

    /**
     * The event for {@code readyBits}.
     *
     * @throws IllegalArgumentException for a bit that is not a {@link Readiness} bit
     */
    public static LibosIoEvent of(int readyBits) {
        if ((readyBits & ~LibosIoOps.ALL) != 0) {
            throw new IllegalArgumentException("not readiness bits: " + readyBits);
        }
        return CACHE[readyBits];
    }

    /** The ready {@link Readiness} bits. */
    public int readyBits() {
        return readyBits;
    }

    @Override
    public String toString() {
        return "LibosIoEvent(" + Readiness.toString(readyBits) + ")";
    }
}
