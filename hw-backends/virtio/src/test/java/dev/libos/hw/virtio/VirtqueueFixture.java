package dev.libos.hw.virtio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Rings in native memory with a driver and a device model over them. */
final class VirtqueueFixture implements AutoCloseable {
    final Arena arena = Arena.ofConfined();
    final VirtqueueSplit driver;
    final VirtqueueDeviceModel device;

    VirtqueueFixture(int queueSize, boolean eventIndex) {
        MemorySegment desc = arena.allocate(VirtqueueDescriptor.descriptorTableBytes(queueSize), 16);
        MemorySegment avail = arena.allocate(VirtqueueDescriptor.availRingBytes(queueSize), 16);
        MemorySegment used = arena.allocate(VirtqueueDescriptor.usedRingBytes(queueSize), 16);
        driver = new VirtqueueSplit(queueSize, desc, avail, used, DeviceAddressTranslator.IDENTITY, eventIndex);
        device = new VirtqueueDeviceModel(queueSize, desc, avail, used, eventIndex);
    }

    MemorySegment buffer(int bytes) {
        return arena.allocate(bytes, 8);
    }

    @Override
    public void close() {
        arena.close();
    }
}
