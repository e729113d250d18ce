package dev.libos.hw.vmxnet3;

import dev.libos.api.device.DmaMemory;
import dev.libos.hw.pci.PciAttachment;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciIds;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Claims VMware vmxnet3 functions (15ad:07b0) and drives them with {@link Vmxnet3NetDevice}:
 * enables memory decoding and bus mastering, maps BAR 0 and BAR 1 (both 4 KiB of registers;
 * BAR 2 is the MSI-X table, unused in poll mode) and opens the device.
 */
public final class Vmxnet3PciDriver implements PciDriverProvider {
    /** VMware's PCI vendor id. */
    public static final int VENDOR_ID = 0x15ad;
    /** vmxnet3's device id. */
    public static final int DEVICE_ID = 0x07b0;
    static final int RING_SIZE = 256;
    /** Used when the device reports no MAC: locally administered, QEMU's prefix. */
    static final byte[] FALLBACK_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x57};

    @Override
    public String name() {
        return "vmxnet3";
    }

    @Override
    public boolean supports(PciIds ids) {
        return ids.vendorId() == VENDOR_ID && ids.deviceId() == DEVICE_ID;
    }

    @Override
    public PciAttachment attach(PciDevice device, DmaMemory memory) throws IOException {
        device.enableBusMastering();
        // The mappings live as long as the device may be driven: the global arena.
        MemorySegment bar0 = device.mapBar(0, Arena.global());
        MemorySegment bar1 = device.mapBar(1, Arena.global());
        if (bar0.byteSize() < Vmxnet3Registers.BAR_BYTES || bar1.byteSize() < Vmxnet3Registers.BAR_BYTES) {
            throw new IOException("vmxnet3 " + device.address() + ": BAR 0/1 are " + bar0.byteSize() + "/"
                    + bar1.byteSize() + " bytes, need " + Vmxnet3Registers.BAR_BYTES);
        }
        Vmxnet3NetDevice net = Vmxnet3NetDevice.open("vmxnet3-" + device.address(), RegisterWindow.of(bar0),
                RegisterWindow.of(bar1), memory, RING_SIZE, FALLBACK_MAC);
        return new PciAttachment.Net(device, name(), net);
    }
}
