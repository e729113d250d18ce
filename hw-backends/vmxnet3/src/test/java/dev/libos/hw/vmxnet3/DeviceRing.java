package dev.libos.hw.vmxnet3;

import java.lang.foreign.MemorySegment;

/**
 * The device's cursor on one ring in driver memory: where it reads or writes next and the
 * generation of the current lap (QEMU's {@code Vmxnet3Ring}: next, gen, flipped on wrap).
 */
final class DeviceRing {
    final MemorySegment memory;
    final int size;
    int next;
    int gen = Vmxnet3RingLayout.INITIAL_GEN;

    DeviceRing(long deviceAddress, int size) {
        this.size = size;
        // Identity translation in tests: the device address is the driver's virtual address.
        this.memory = MemorySegment.ofAddress(deviceAddress).reinterpret(Vmxnet3RingLayout.ringBytes(size));
    }

    long entry() {
        return (long) next * Vmxnet3RingLayout.ENTRY_BYTES;
    }

    void advance() {
        if (++next == size) {
            next = 0;
            gen ^= 1;
        }
    }
}
