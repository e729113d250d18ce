package dev.libos.net.tcp;

import dev.libos.net.wire.SackBlock;
import java.util.List;

/**
 * The sender's record of data the peer has selectively acknowledged (RFC 2018, scoreboard as in
 * RFC 6675 section 3): disjoint sequence ranges above SND.UNA, sorted, at most
 * {@link #MAX_RANGES}. Retransmission skips what is recorded here.
 */
final class SackScoreboard {
    /** Ranges kept; blocks that would add more are ignored (the peer repeats them). */
    static final int MAX_RANGES = 32;
    private final int[] start = new int[MAX_RANGES + 1];
    private final int[] end = new int[MAX_RANGES + 1];
    private int count;

    int rangeCount() {
        return count;
    }

    int rangeStart(int i) {
        return start[i];
    }

    int rangeEnd(int i) {
        return end[i];
    }

    /** True when nothing is recorded. */
    boolean isEmpty() {
        return count == 0;
    }

    /** Forgets everything (RFC 2018 section 8: after a retransmission timeout, SACKed bits are turned off). */
    void clear() {
        count = 0;
    }

    /**
     * Records the peer's blocks. Blocks not inside (SND.UNA, SND.MAX] or empty are ignored
     * (RFC 2018 section 4: the receiver may send stale or D-SACK blocks).
     *
     * @return true when something new was recorded
     */
    boolean update(List<SackBlock> blocks, int sndUna, int sndMax) {
        boolean changed = false;
        for (SackBlock b : blocks) {
            int left = b.leftEdge();
            int right = b.rightEdge();
            if (!Seq.lt(left, right) || Seq.le(left, sndUna) || Seq.gt(right, sndMax)) {
                continue;
            }
            changed |= add(left, right);
        }
        return changed;
    }

    private boolean add(int left, int right) {
        int i = 0;
        while (i < count && Seq.lt(end[i], left)) {
            i++;
        }
        if (i < count && Seq.le(start[i], left) && Seq.ge(end[i], right)) {
            return false;
        }
        int s = left;
        int e = right;
        int j = i;
        while (j < count && Seq.le(start[j], e)) {
            s = Seq.min(s, start[j]);
            e = Seq.max(e, end[j]);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && count >= MAX_RANGES) {
            return false;
        }
        // Replace ranges [i, j) by the single merged range.
        System.arraycopy(start, j, start, i + 1, count - j);
        System.arraycopy(end, j, end, i + 1, count - j);
        start[i] = s;
        end[i] = e;
        count = count - merged + 1;
        return true;
    }

    /** Drops what SND.UNA has passed. */
    void advance(int sndUna) {
        int drop = 0;
        while (drop < count && Seq.le(end[drop], sndUna)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(start, drop, start, 0, count - drop);
            System.arraycopy(end, drop, end, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && Seq.lt(start[0], sndUna)) {
            start[0] = sndUna;
        }
    }

    /** Bytes recorded as SACKed. */
    long sackedBytes() {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += Integer.toUnsignedLong(end[i] - start[i]);
        }
        return total;
    }

    /** The highest SACKed sequence number (end of the last range), or {@code otherwise} when empty. */
    int highestSacked(int otherwise) {
        return count == 0 ? otherwise : end[count - 1];
    }

    /** {@code seq} itself if not SACKed, else the end of the range holding it. */
    int skipSacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (Seq.le(start[i], seq) && Seq.lt(seq, end[i])) {
                return end[i];
            }
        }
        return seq;
    }

    /** Start of the first SACKed range beginning after {@code seq}, or {@code limit}. */
    int nextSackedStart(int seq, int limit) {
        for (int i = 0; i < count; i++) {
            if (Seq.gt(start[i], seq)) {
                return Seq.min(start[i], limit);
            }
        }
        return limit;
    }
}
