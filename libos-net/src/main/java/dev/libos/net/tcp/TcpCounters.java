package dev.libos.net.tcp;

import dev.libos.api.stat.SingleWriterCounterArray;
import java.util.EnumMap;
import java.util.Map;

/** A set of {@link TcpCounter} values with one writer (the stack's poller), readable from any thread. */
public final class TcpCounters {
    private static final TcpCounter[] ALL = TcpCounter.values();
    private final SingleWriterCounterArray values = new SingleWriterCounterArray(ALL.length);

    /** The current value of {@code counter}. */
    public long get(TcpCounter counter) {
        return values.get(counter.ordinal());
    }

    void increment(TcpCounter counter) {
        values.increment(counter.ordinal());
    }

    void add(TcpCounter counter, long amount) {
        values.add(counter.ordinal(), amount);
    }

    /** Adds every value of {@code other} into this set. */
    public void addAll(TcpCounters other) {
        for (int i = 0; i < values.length(); i++) {
            values.add(i, other.values.get(i));
        }
    }

    /** The non-zero counters, for display. */
    public Map<TcpCounter, Long> nonZero() {
        Map<TcpCounter, Long> map = new EnumMap<>(TcpCounter.class);
        for (TcpCounter c : ALL) {
            long value = values.get(c.ordinal());
            if (value != 0) {
                map.put(c, value);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return nonZero().toString();
    }
}
