package dev.libos.hw.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian accessors for shared device memory (virtio 1.x is little-endian whatever the
 * CPU, section 2.7.1), plain and with acquire/release ordering. Segments must be native and the
 * ordered accesses naturally aligned.
 */
final class LittleEndian {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_HANDLE = SHORT.varHandle();

    private LittleEndian() {
    }

    /** Plain 16-bit read, as an unsigned value. */
    static int getU16(MemorySegment segment, long offset) {
        return Short.toUnsignedInt(segment.get(SHORT, offset));
    }

    static void putU16(MemorySegment segment, long offset, int value) {
        segment.set(SHORT, offset, (short) value);
    }

    /** 16-bit read with acquire semantics: later reads are not performed before it. */
    static int getU16Acquire(MemorySegment segment, long offset) {
        return Short.toUnsignedInt((short) SHORT_HANDLE.getAcquire(segment, offset));
    }

    /** 16-bit write with release semantics: earlier writes are visible before it. */
    static void putU16Release(MemorySegment segment, long offset, int value) {
        SHORT_HANDLE.setRelease(segment, offset, (short) value);
    }

    static int getI32(MemorySegment segment, long offset) {
        return segment.get(INT, offset);
    }

    static void putI32(MemorySegment segment, long offset, int value) {
        segment.set(INT, offset, value);
    }

    static long getI64(MemorySegment segment, long offset) {
        return segment.get(LONG, offset);
    }

    static void putI64(MemorySegment segment, long offset, long value) {
        segment.set(LONG, offset, value);
    }
}
