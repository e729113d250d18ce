package dev.libos.api.sync;

/** A reference published under RCU: readers load it inside a read-side section. */
public interface RcuPointer<T> {
    /** The current value: an acquire load, valid until the reader's section ends. */
    T read();

    /** Publishes {@code value} (release store) and returns the previous one, which readers may still see. */
    T assign(T value);
}
