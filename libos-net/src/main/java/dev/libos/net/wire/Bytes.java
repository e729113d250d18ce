package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Big-endian (network byte order) unsigned accessors on a segment at absolute positions. */
final class Bytes {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    static int u8(MemorySegment segment, long position) {
        return segment.get(ValueLayout.JAVA_BYTE, position) & 0xFF;
    }

    static int u16(MemorySegment segment, long position) {
        return segment.get(U16, position) & 0xFFFF;
    }

    static int i32(MemorySegment segment, long position) {
        return segment.get(U32, position);
    }

    /** Reads a 48-bit MAC address as the low 48 bits of a long. */
    static long u48(MemorySegment segment, long position) {
        return ((long) u16(segment, position) << 32) | (i32(segment, position + 2) & 0xFFFF_FFFFL);
    }

    static void putU8(MemorySegment segment, long position, int value) {
        segment.set(ValueLayout.JAVA_BYTE, position, (byte) value);
    }

    static void putU16(MemorySegment segment, long position, int value) {
        segment.set(U16, position, (short) value);
    }

    static void putI32(MemorySegment segment, long position, int value) {
        segment.set(U32, position, value);
    }

    static void putU48(MemorySegment segment, long position, long value) {
        putU16(segment, position, (int) (value >>> 32));
        putI32(segment, position + 2, (int) value);
    }

    /** True when [offset, offset + length) lies inside the segment; never throws. */
    static boolean inBounds(MemorySegment segment, long offset, int length) {
        return segment != null && offset >= 0 && length >= 0 && offset <= segment.byteSize() - length;
    }

    static int requireU8(String name, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(name + " must fit 8 bits unsigned: " + value);
        }
        return value;
    }

    static int requireU16(String name, int value) {
        if ((value & ~0xFFFF) != 0) {
            throw new IllegalArgumentException(name + " must fit 16 bits unsigned: " + value);
        }
        return value;
    }

    static int requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
        return value;
    }
}
