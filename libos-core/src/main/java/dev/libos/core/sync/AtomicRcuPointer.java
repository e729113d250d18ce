package dev.libos.core.sync;

import dev.libos.api.sync.RcuPointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** An RCU-published reference: acquire loads for readers, a volatile exchange for writers. */
final class AtomicRcuPointer<T> implements RcuPointer<T> {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicRcuPointer.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private Object value;

    AtomicRcuPointer(T initial) {
        VALUE.setRelease(this, initial);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read() {
        // Acquire: the reader sees every write made to the object before it was assigned.
        return (T) VALUE.getAcquire(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T assign(T value) {
        return (T) VALUE.getAndSet(this, value);
    }
}
