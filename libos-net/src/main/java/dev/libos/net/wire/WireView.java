package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over {@code length} bytes of a segment starting at {@code offset}. Subclasses add
 * one getter and one setter per header field; they are reusable (re-{@code wrap} them) and
 * allocate nothing but the slices returned by {@code payload()}-style methods.
 *
 * <p>A wrapped view is unchecked: see the package documentation for the validation rule.
 */
public abstract class WireView {
    MemorySegment segment = MemorySegment.NULL;
    long offset;
    int length;

    WireView() {
    }

    /** Binds this view; misuse (bounds outside the segment) is an IllegalArgumentException. */
    final void bind(MemorySegment segment, long offset, int length) {
        if (!Bytes.inBounds(segment, offset, length)) {
            throw new IllegalArgumentException("view [" + offset + ", +" + length + ") outside segment of "
                    + (segment == null ? "null" : segment.byteSize() + " bytes"));
        }
        this.segment = segment;
        this.offset = offset;
        this.length = length;
    }

    /**
     * True when {@code length} bytes at {@code offset} are not all inside {@code segment}, or are
     * fewer than {@code minLength}: the first test of every view's {@code check}. Never throws.
     */
    static boolean truncated(MemorySegment segment, long offset, int length, int minLength) {
        return !Bytes.inBounds(segment, offset, length) || length < minLength;
    }

    /**
     * What every view's {@code wrapChecked} does with the result of its {@code check}: binds when
     * it is OK and leaves the view unchanged otherwise.
     *
     * @return {@code check}
     */
    final WireCheck bindIfOk(WireCheck check, MemorySegment segment, long offset, int length) {
        if (check.ok()) {
            bind(segment, offset, length);
        }
        return check;
    }

    /** The segment this view reads and writes. */
    public final MemorySegment segment() {
        return segment;
    }

    /** Position of the first byte of this view in {@link #segment()}. */
    public final long offset() {
        return offset;
    }

    /** Number of bytes this view covers (the buffer, which may exceed the packet it holds). */
    public final int length() {
        return length;
    }

    /** A slice of this view's bytes, {@code from} relative to the view's start. */
    public final MemorySegment slice(int from, int sliceLength) {
        return segment.asSlice(offset + from, sliceLength);
    }

    final int u8(int at) {
        return Bytes.u8(segment, offset + at);
    }

    final int u16(int at) {
        return Bytes.u16(segment, offset + at);
    }

    final int i32(int at) {
        return Bytes.i32(segment, offset + at);
    }

    final long u48(int at) {
        return Bytes.u48(segment, offset + at);
    }

    final void putU8(int at, int value) {
        Bytes.putU8(segment, offset + at, value);
    }

    final void putU16(int at, int value) {
        Bytes.putU16(segment, offset + at, value);
    }

    final void putI32(int at, int value) {
        Bytes.putI32(segment, offset + at, value);
    }

    final void putU48(int at, long value) {
        Bytes.putU48(segment, offset + at, value);
    }
}
