package dev.libos.hw.pci;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.NetDevice;

/** A PCI device a driver has taken over, as the device SPI type it now provides. */
public sealed interface PciAttachment {
    /** The PCI function driven. */
    PciDevice pciDevice();

    /** The driver's {@link PciDriverProvider#name()}. */
    String driverName();

    /**
     * A network interface.
     *
     * @param receiveWakeup how the device wakes its idle poller, for the console ("polling (why)",
     *        "interrupt via uio0")
     */
    record Net(PciDevice pciDevice, String driverName, NetDevice device, String receiveWakeup) implements PciAttachment {
        public Net(PciDevice pciDevice, String driverName, NetDevice device) {
            this(pciDevice, driverName, device, "polling");
        }
    }

    /** A block device. */
    record Block(PciDevice pciDevice, String driverName, BlockDevice device) implements PciAttachment {
    }
}
