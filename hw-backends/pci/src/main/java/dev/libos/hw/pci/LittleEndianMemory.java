package dev.libos.hw.pci;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Accessors for memory a driver shares with its device (rings, descriptors, shared areas): the
 * device ABIs libos drives (virtio 1.x, section 2.7.1; vmxnet3) are little-endian whatever the
 * CPU. Plain accesses take any offset; the acquire/release ones, which order a driver's reads and
 * writes against the device's at the points a device spec names, need natural alignment (a
 * misaligned one throws).
 */
public final class LittleEndianMemory {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ALIGNED_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle ALIGNED_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private LittleEndianMemory() {
    }

    public static int getU8(MemorySegment segment, long offset) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset));
    }

    public static void putU8(MemorySegment segment, long offset, int value) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    public static int getU16(MemorySegment segment, long offset) {
        return Short.toUnsignedInt(segment.get(SHORT, offset));
    }

    public static void putU16(MemorySegment segment, long offset, int value) {
        segment.set(SHORT, offset, (short) value);
    }

    /** 16-bit read with acquire semantics: no later read is performed before it. */
    public static int getU16Acquire(MemorySegment segment, long offset) {
        return Short.toUnsignedInt((short) ALIGNED_SHORT.getAcquire(segment, offset));
    }

    /** 16-bit write with release semantics: every earlier write is visible before it. */
    public static void putU16Release(MemorySegment segment, long offset, int value) {
        ALIGNED_SHORT.setRelease(segment, offset, (short) value);
    }

    public static int getI32(MemorySegment segment, long offset) {
        return segment.get(INT, offset);
    }

    public static void putI32(MemorySegment segment, long offset, int value) {
        segment.set(INT, offset, value);
    }

    /** 32-bit read with acquire semantics: no later read is performed before it. */
    public static int getI32Acquire(MemorySegment segment, long offset) {
        return (int) ALIGNED_INT.getAcquire(segment, offset);
    }

    /** 32-bit write with release semantics: every earlier write is visible before it. */
    public static void putI32Release(MemorySegment segment, long offset, int value) {
        ALIGNED_INT.setRelease(segment, offset, value);
    }

    public static long getI64(MemorySegment segment, long offset) {
        return segment.get(LONG, offset);
    }

    public static void putI64(MemorySegment segment, long offset, long value) {
        segment.set(LONG, offset, value);
    }
}
