package dev.libos.hw.pci;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Turns memory this process sees into the address a device uses for it. In a guest without an
 * IOMMU that is the physical address ({@link PagemapTranslation}); in hosted simulations, where
 * the "device" is Java code in the same process, it is the virtual address itself
 * ({@link #IDENTITY}). Drivers never call this on a hot path: DMA memory translates each page
 * once, when it is mapped.
 */
@FunctionalInterface
public interface AddressTranslation {
    /** Device address = virtual address, for simulated devices. */
    AddressTranslation IDENTITY = MemorySegment::address;

    /**
     * The device address of {@code segment}'s first byte; only that byte's page is translated,
     * so callers translate each physically contiguous unit (a hugepage) separately.
     *
     * @throws IOException when the page is not resident or its address cannot be read
     */
    long deviceAddress(MemorySegment segment) throws IOException;
}
