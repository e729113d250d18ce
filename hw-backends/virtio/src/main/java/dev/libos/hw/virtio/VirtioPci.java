package dev.libos.hw.virtio;

import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciIds;
import java.io.IOException;
import java.lang.foreign.Arena;

/** What the virtio PCI drivers share: the vendor id and bringing a function up to a transport. */
final class VirtioPci {
    /** Red Hat / virtio PCI vendor id. */
    static final int VENDOR_ID = 0x1af4;

    /** Modern device ids are this plus the virtio device type (VIRTIO 1.2 section 4.1.2). */
    static final int MODERN_DEVICE_ID_BASE = 0x1040;
    /** Transitional device ids: 0x1000-0x103f, the device type in the subsystem device id (4.1.2). */
    static final int TRANSITIONAL_FIRST = 0x1000;
    static final int TRANSITIONAL_LAST = 0x103f;

    private VirtioPci() {
    }

    /**
     * Whether {@code ids} is a virtio function of {@code deviceType} (1 network, 2 block): the
     * modern id, or a transitional id whose subsystem device id names the type. Transitional
     * functions (what QEMU presents unless told {@code disable-legacy=on}) also carry the virtio
     * 1.x capabilities, and the drivers negotiate VERSION_1, so their legacy I/O ports are never
     * touched; one without the capabilities fails in {@link VirtioPciTransport#open} with a message
     * saying so.
     */
    static boolean claims(PciIds ids, int deviceType) {
        if (ids.vendorId() != VENDOR_ID) {
            return false;
        }
        int device = ids.deviceId();
        return device == MODERN_DEVICE_ID_BASE + deviceType
                || (device >= TRANSITIONAL_FIRST && device <= TRANSITIONAL_LAST && ids.subsystemDeviceId() == deviceType);
    }

    /** Enables bus mastering and memory decoding (the device will DMA into our rings), then opens the transport. */
    static VirtioPciTransport transport(PciDevice device, Arena arena) throws IOException {
        device.enableBusMastering();
        return VirtioPciTransport.open(device, arena);
    }
}
