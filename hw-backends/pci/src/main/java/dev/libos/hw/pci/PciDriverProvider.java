package dev.libos.hw.pci;

import dev.libos.api.device.DmaMemory;
import java.io.IOException;

/**
 * A user-space PCI driver, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.libos.hw.pci.PciDriverProvider}). Implementations need a public
 * no-argument constructor and must not touch the device before {@link #attach}.
 */
public interface PciDriverProvider {
    /** A short name for logs and probe reports ({@code virtio-net}). */
    String name();

    /** Whether this driver handles a device with {@code ids}; decided from the ids alone. */
    boolean supports(PciIds ids);

    /**
     * Takes over {@code device}: enables it, maps its BARs, sets up its queues in {@code memory}.
     *
     * @return the device wrapped as a {@link PciAttachment}
     * @throws IOException when the device cannot be brought up; the probe reports it and goes on
     */
    PciAttachment attach(PciDevice device, DmaMemory memory) throws IOException;
}
