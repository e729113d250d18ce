package dev.libos.net.ip;

import dev.libos.api.stat.SingleWriterCounterArray;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Event counters named by an enum, written by the stack's thread only and published with opaque
 * stores ({@link SingleWriterCounterArray}). Another thread may read a {@link #snapshot()}; each
 * value is then some recent count, with no guarantee that the set was taken at one instant.
 *
 * @param <E> the enum naming the counters
 */
public final class Counters<E extends Enum<E>> {
    private final Class<E> type;
    private final SingleWriterCounterArray values;

    /** Counters for every constant of {@code type}, all zero. */
    public Counters(Class<E> type) {
        this.type = type;
        this.values = new SingleWriterCounterArray(type.getEnumConstants().length);
    }

    /** Adds one to {@code counter}. */
    public void increment(E counter) {
        values.increment(counter.ordinal());
    }

    /** Adds {@code delta} to {@code counter}. */
    public void add(E counter, long delta) {
        values.add(counter.ordinal(), delta);
    }

    /** The current value of {@code counter}. */
    public long get(E counter) {
        return values.get(counter.ordinal());
    }

    /** Every counter, zero or not, in declaration order; unmodifiable. */
    public Map<E, Long> snapshot() {
        EnumMap<E, Long> map = new EnumMap<>(type);
        for (E counter : type.getEnumConstants()) {
            map.put(counter, values.get(counter.ordinal()));
        }
        return Collections.unmodifiableMap(map);
    }

    /** The non-zero counters as {@code NAME=value} lines. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (E counter : type.getEnumConstants()) {
            long value = values.get(counter.ordinal());
            if (value != 0) {
                sb.append(counter).append('=').append(value).append('\n');
            }
        }
        return sb.toString();
    }
}
