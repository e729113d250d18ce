package dev.libos.examples.echo;

import dev.libos.api.device.DmaMemory;
import dev.libos.hw.pci.PciAttachment;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciIds;
import dev.libos.hw.virtio.VirtioNetPciDriver;
import java.io.IOException;

/**
 * Claims a transitional virtio-net (1af4:1000, subsystem device 1: what QEMU presents unless told
 * {@code disable-legacy=on}) and drives it through its modern interface with
 * {@link VirtioNetPciDriver}: QEMU's transitional devices carry the virtio 1.x capabilities too,
 * and the driver negotiates VERSION_1, so the legacy I/O ports are never touched.
 */
final class TransitionalVirtioNet implements PciDriverProvider {
    static final int VENDOR_ID = 0x1af4;
    static final int TRANSITIONAL_DEVICE_ID = 0x1000;
    /** For transitional devices the subsystem id is the virtio device type: 1 is network. */
    static final int NETWORK_SUBSYSTEM_ID = 1;

    private final VirtioNetPciDriver modern = new VirtioNetPciDriver();

    @Override
    public String name() {
        return "virtio-net (transitional)";
    }

    @Override
    public boolean supports(PciIds ids) {
        return ids.vendorId() == VENDOR_ID && ids.deviceId() == TRANSITIONAL_DEVICE_ID
                && ids.subsystemDeviceId() == NETWORK_SUBSYSTEM_ID;
    }

    @Override
    public PciAttachment attach(PciDevice device, DmaMemory memory) throws IOException {
        return modern.attach(device, memory);
    }
}
