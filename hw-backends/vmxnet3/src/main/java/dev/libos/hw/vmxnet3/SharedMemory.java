package dev.libos.hw.vmxnet3;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian accessors for memory shared with the device (the vmxnet3 ABI is little-endian),
 * plain and, for the words that carry a generation bit, with acquire/release ordering.
 */
final class SharedMemory {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_HANDLE = INT.varHandle();

    private SharedMemory() {
    }

    static int getU8(MemorySegment segment, long offset) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset));
    }

    static void putU8(MemorySegment segment, long offset, int value) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    static void putU16(MemorySegment segment, long offset, int value) {
        segment.set(SHORT, offset, (short) value);
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

    /** 32-bit read with acquire semantics: no later read is performed before it. */
    static int getI32Acquire(MemorySegment segment, long offset) {
        return (int) INT_HANDLE.getAcquire(segment, offset);
    }

    /** 32-bit write with release semantics: every earlier write is visible before it. */
    static void putI32Release(MemorySegment segment, long offset, int value) {
        INT_HANDLE.setRelease(segment, offset, value);
    }
}
