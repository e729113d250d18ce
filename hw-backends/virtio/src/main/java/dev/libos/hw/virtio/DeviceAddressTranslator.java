package dev.libos.hw.virtio;

import java.lang.foreign.MemorySegment;

/**
 * Maps memory the driver owns to the address the device uses for it (a guest-physical or IOVA
 * address from the PCI layer's DMA memory; in tests and hosted simulations the CPU address).
 */
@FunctionalInterface
public interface DeviceAddressTranslator {
    /** The CPU address itself: for native segments shared with an in-process device model. */
    DeviceAddressTranslator IDENTITY = MemorySegment::address;

    /**
     * The device address of {@code segment}'s first byte.
     *
     * @throws IllegalArgumentException if {@code segment} is not device-reachable memory
     */
    long deviceAddress(MemorySegment segment);
}
