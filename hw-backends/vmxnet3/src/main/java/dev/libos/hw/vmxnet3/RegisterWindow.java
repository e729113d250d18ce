package dev.libos.hw.vmxnet3;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One of the device's register BARs. vmxnet3 registers are all 32-bit little-endian words, so
 * that is the only access offered. Every access reaches the device exactly once and in program
 * order with the others ({@code volatile} semantics): a register is not memory, a read may have
 * side effects (CMD answers the last command) and a write is an event (a doorbell). Tests
 * implement it with a device model.
 */
public interface RegisterWindow {
    int read32(long offset);

    void write32(long offset, int value);

    /** Registers in a mapped BAR; offsets must be 4-byte aligned. */
    static RegisterWindow of(MemorySegment bar) {
        return new Mapped(bar);
    }

    /** The {@link #of} implementation: volatile little-endian VarHandle accesses. */
    final class Mapped implements RegisterWindow {
        private static final VarHandle INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
        private final MemorySegment bar;

        private Mapped(MemorySegment bar) {
            this.bar = bar;
        }

        @Override
        public int read32(long offset) {
            return (int) INT.getVolatile(bar, offset);
        }

        @Override
        public void write32(long offset, int value) {
            // A volatile store has release semantics: every store before it (descriptors, the
            // generation bit) is visible to the device before this doorbell or command is.
            INT.setVolatile(bar, offset, value);
        }
    }
}
