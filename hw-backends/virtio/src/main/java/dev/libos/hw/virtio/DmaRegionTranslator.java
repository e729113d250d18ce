package dev.libos.hw.virtio;

import dev.libos.api.device.DmaMemory.DmaBuffer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates slices of a few {@link DmaBuffer}s (a driver's rings and buffer pools) to device
 * addresses: the buffer's device address plus the slice's offset in it. Each buffer is assumed
 * contiguous for the device (the DMA layer's promise).
 */
final class DmaRegionTranslator implements DeviceAddressTranslator {
    private final List<DmaBuffer> regions = new ArrayList<>();

    /** Adds a region; returns it for chaining. */
    DmaBuffer register(DmaBuffer buffer) {
        regions.add(buffer);
        return buffer;
    }

    @Override
    public long deviceAddress(MemorySegment segment) {
        long address = segment.address();
        for (DmaBuffer region : regions) {
            long base = region.segment().address();
            if (address >= base && address + segment.byteSize() <= base + region.segment().byteSize()) {
                return region.deviceAddress() + (address - base);
            }
        }
        throw new IllegalArgumentException("segment is not in the driver's DMA memory: " + segment);
    }

    void closeAll() {
        for (DmaBuffer region : regions) {
            region.close();
        }
        regions.clear();
    }
}
