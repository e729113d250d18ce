package dev.libos.hw.virtio;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.NetDevice;

/** A virtio-mmio device a driver has taken over, as the device SPI type it now provides. */
public sealed interface VirtioMmioAttachment {
    /** Where the transport is. */
    VirtioMmioSlot slot();

    /** The driver's name ("virtio-net", "virtio-blk"). */
    String driverName();

    /** A network interface. */
    record Net(VirtioMmioSlot slot, String driverName, NetDevice device) implements VirtioMmioAttachment {
    }

    /** A block device. */
    record Block(VirtioMmioSlot slot, String driverName, BlockDevice device) implements VirtioMmioAttachment {
    }
}
