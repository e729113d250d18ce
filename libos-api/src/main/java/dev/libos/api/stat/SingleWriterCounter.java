package dev.libos.api.stat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A statistics counter with one writer (a driver's or the stack's polling thread) and any number
 * of readers (procfs, tests, diagnostics).
 *
 * <p>Why not {@code volatile long} and {@code ++}: that is a volatile load, an add and a volatile
 * store, and the volatile store is followed by a full fence (a locked instruction on x86) on every
 * frame, buying an ordering that no reader needs. With one writer the increment needs no atomic
 * read-modify-write either: the writer reads its own last value plainly and publishes the sum with
 * an opaque store, which is a plain store on x86 that the JIT may not elide or tear, and which
 * readers (opaque loads) see eventually and never out of order for this one variable. Agrona's
 * {@code AtomicCounter.incrementOpaque} does the same on a counters buffer, which needs its
 * {@code UnsafeBuffer} and {@code --add-exports java.base/jdk.internal.misc}; a heap field is
 * enough here.
 *
 * <p>"One writer" means one at a time: writers serialised by a lock are fine (the lock orders a
 * writer's plain read after the previous writer's store). Two threads that may increment at once
 * lose counts; use {@code LongAdder} there.
 *
 * <p>Counters of one object are not read at one instant: a reader may see {@code rxFrames}
 * already incremented and {@code rxBytes} not yet.
 */
public final class SingleWriterCounter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(SingleWriterCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through VALUE
    private long value;

    /** Adds one; the owning thread only. */
    public void increment() {
        VALUE.setOpaque(this, (long) VALUE.get(this) + 1);
    }

    /** Adds {@code delta}; the owning thread only. */
    public void add(long delta) {
        VALUE.setOpaque(this, (long) VALUE.get(this) + delta);
    }

    /** The count as some recent write left it; any thread. */
    public long get() {
        return (long) VALUE.getOpaque(this);
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
