package dev.libos.hw.pci;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.NetDevice;

/** A PCI device a driver has taken over, as the device SPI type it now provides. */
public sealed interface PciAttachment {
    /** The PCI function driven. */
    PciDevice pciDevice();

    /** The driver's {@link PciDriverProvider#name()}. */
    String driverName();

    /** A network interface. */
    record Net(PciDevice pciDevice, String driverName, NetDevice device) implements PciAttachment {
    }

    /** A block device. */
    record Block(PciDevice pciDevice, String driverName, BlockDevice device) implements PciAttachment {
    }
}
