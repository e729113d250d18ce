package dev.libos.net.wire;

import java.util.Arrays;

/**
 * Counts of frames seen by a {@link FrameParser}: accepted, and dropped per {@link WireCheck}.
 * Owned by one thread (the receive path of one interface); not thread-safe. A reader on
 * another thread (procfs) gets no consistency guarantee beyond eventually-seen plain longs.
 */
public final class WireCounters {
    private long framesAccepted;
    private final long[] drops = new long[WireCheck.values().length];

    void countAccepted() {
        framesAccepted++;
    }

    void countDrop(WireCheck reason) {
        drops[reason.ordinal()]++;
    }

    /** Frames parsed into a chain of headers. */
    public long framesAccepted() {
        return framesAccepted;
    }

    /** Frames dropped for {@code reason} (0 for {@link WireCheck#OK}). */
    public long drops(WireCheck reason) {
        return drops[reason.ordinal()];
    }

    /** Frames dropped for any reason. */
    public long totalDrops() {
        long total = 0;
        for (long d : drops) {
            total += d;
        }
        return total;
    }

    /** Frames seen: accepted plus dropped. */
    public long framesSeen() {
        return framesAccepted + totalDrops();
    }

    /** Sets every counter to zero. */
    public void reset() {
        framesAccepted = 0;
        Arrays.fill(drops, 0);
    }

    /** The accepted count and every non-zero drop count, one per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("accepted=").append(framesAccepted);
        for (WireCheck reason : WireCheck.values()) {
            if (drops[reason.ordinal()] != 0) {
                sb.append('\n').append(reason).append('=').append(drops[reason.ordinal()]);
            }
        }
        return sb.toString();
    }
}
