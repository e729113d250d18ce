package dev.libos.hw.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A window of little-endian device registers (a slice of a mapped BAR). Every access is a
 * single, naturally aligned load or store that the JIT neither drops, merges nor reorders with
 * the other register accesses ({@code volatile} semantics): a device register is not memory,
 * reading it twice may give two answers and a write may have side effects. Tests implement it
 * with a register model.
 */
public interface DeviceRegisters {
    /** Bytes in the window. */
    long byteSize();

    int read8(long offset);

    int read16(long offset);

    int read32(long offset);

    void write8(long offset, int value);

    void write16(long offset, int value);

    void write32(long offset, int value);

    /** Registers in mapped device memory; offsets must be naturally aligned. */
    static DeviceRegisters of(MemorySegment segment) {
        return new Mapped(segment);
    }

    /** The {@link #of} implementation: volatile VarHandle accesses on the segment. */
    final class Mapped implements DeviceRegisters {
        private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();
        private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
        private static final VarHandle INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
        private final MemorySegment segment;

        private Mapped(MemorySegment segment) {
            this.segment = segment;
        }

        @Override
        public long byteSize() {
            return segment.byteSize();
        }

        @Override
        public int read8(long offset) {
            return Byte.toUnsignedInt((byte) BYTE.getVolatile(segment, offset));
        }

        @Override
        public int read16(long offset) {
            return Short.toUnsignedInt((short) SHORT.getVolatile(segment, offset));
        }

        @Override
        public int read32(long offset) {
            return (int) INT.getVolatile(segment, offset);
        }

        @Override
        public void write8(long offset, int value) {
            BYTE.setVolatile(segment, offset, (byte) value);
        }

        @Override
        public void write16(long offset, int value) {
            SHORT.setVolatile(segment, offset, (short) value);
        }

        @Override
        public void write32(long offset, int value) {
            INT.setVolatile(segment, offset, value);
        }
    }
}
