package dev.libos.net.ip;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Event counters named by an enum: plain longs owned by the stack's thread (statistics counted
 * in locals, as OSv's drivers do). Another thread may read a {@link #snapshot()}; each value is
 * then some recent count, with no guarantee that the set was taken at one instant.
 *
 * @param <E> the enum naming the counters
 */
public final class Counters<E extends Enum<E>> {
    private final Class<E> type;
    private final long[] values;

    /** Counters for every constant of {@code type}, all zero. */
    public Counters(Class<E> type) {
        this.type = type;
        this.values = new long[type.getEnumConstants().length];
    }

    /** Adds one to {@code counter}. */
    public void increment(E counter) {
        values[counter.ordinal()]++;
    }

    /** Adds {@code delta} to {@code counter}. */
    public void add(E counter, long delta) {
        values[counter.ordinal()] += delta;
    }

    /** The current value of {@code counter}. */
    public long get(E counter) {
        return values[counter.ordinal()];
    }

    /** Every counter, zero or not, in declaration order; unmodifiable. */
    public Map<E, Long> snapshot() {
        EnumMap<E, Long> map = new EnumMap<>(type);
        for (E counter : type.getEnumConstants()) {
            map.put(counter, values[counter.ordinal()]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The non-zero counters as {@code NAME=value} lines. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (E counter : type.getEnumConstants()) {
            if (values[counter.ordinal()] != 0) {
                sb.append(counter).append('=').append(values[counter.ordinal()]).append('\n');
            }
        }
        return sb.toString();
    }
}
