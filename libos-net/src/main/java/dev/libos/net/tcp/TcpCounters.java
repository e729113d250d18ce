package dev.libos.net.tcp;

import java.util.EnumMap;
import java.util.Map;

/** A set of {@link TcpCounter} values: plain longs with one owner (the stack's poller). */
public final class TcpCounters {
    private static final TcpCounter[] ALL = TcpCounter.values();
    private final long[] values = new long[ALL.length];

    /** The current value of {@code counter}. */
    public long get(TcpCounter counter) {
        return values[counter.ordinal()];
    }

    void increment(TcpCounter counter) {
        values[counter.ordinal()]++;
    }

    void add(TcpCounter counter, long amount) {
        values[counter.ordinal()] += amount;
    }

    /** Adds every value of {@code other} into this set. */
    public void addAll(TcpCounters other) {
        for (int i = 0; i < values.length; i++) {
            values[i] += other.values[i];
        }
    }

    /** The non-zero counters, for display. */
    public Map<TcpCounter, Long> nonZero() {
        Map<TcpCounter, Long> map = new EnumMap<>(TcpCounter.class);
        for (TcpCounter c : ALL) {
            if (values[c.ordinal()] != 0) {
                map.put(c, values[c.ordinal()]);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return nonZero().toString();
    }
}
