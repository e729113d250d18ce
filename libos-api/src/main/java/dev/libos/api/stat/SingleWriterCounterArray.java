package dev.libos.api.stat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed number of {@link SingleWriterCounter}s in one {@code long[]} (counters named by an
 * enum's ordinals): one writer thread, any number of readers, with the same opaque-store
 * publication and the same caveat (no snapshot of all counters at one instant).
 */
public final class SingleWriterCounterArray {
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values;

    /** {@code length} counters, all zero. */
    public SingleWriterCounterArray(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        this.values = new long[length];
    }

    /** How many counters there are. */
    public int length() {
        return values.length;
    }

    /** Adds one to counter {@code index}; the owning thread only. */
    public void increment(int index) {
        ELEMENT.setOpaque(values, index, values[index] + 1);
    }

    /** Adds {@code delta} to counter {@code index}; the owning thread only. */
    public void add(int index, long delta) {
        ELEMENT.setOpaque(values, index, values[index] + delta);
    }

    /** Counter {@code index} as some recent write left it; any thread. */
    public long get(int index) {
        return (long) ELEMENT.getOpaque(values, index);
    }
}
