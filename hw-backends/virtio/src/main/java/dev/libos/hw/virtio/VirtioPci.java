package dev.libos.hw.virtio;

import dev.libos.hw.pci.PciDevice;
import java.io.IOException;
import java.lang.foreign.Arena;

/** What the virtio PCI drivers share: the vendor id and bringing a function up to a transport. */
final class VirtioPci {
    /** Red Hat / virtio PCI vendor id. */
    static final int VENDOR_ID = 0x1af4;

    private VirtioPci() {
    }

    /** Enables bus mastering and memory decoding (the device will DMA into our rings), then opens the transport. */
    static VirtioPciTransport transport(PciDevice device, Arena arena) throws IOException {
        device.enableBusMastering();
        return VirtioPciTransport.open(device, arena);
    }
}
