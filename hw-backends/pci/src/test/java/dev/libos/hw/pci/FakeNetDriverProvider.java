package dev.libos.hw.pci;

import dev.libos.api.device.DmaMemory;
import dev.libos.api.device.NetDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A provider registered in the test class path's META-INF/services: claims virtio-net (1af4:1041),
 * enables bus mastering and allocates a ring, as a real driver would begin. Device 0x1041 with
 * revision 0xee makes it fail, to show a failing driver does not stop the probe.
 */
public final class FakeNetDriverProvider implements PciDriverProvider {
    @Override
    public String name() {
        return "fake-net";
    }

    @Override
    public boolean supports(PciIds ids) {
        return ids.vendorId() == 0x1af4 && ids.deviceId() == 0x1041;
    }

    @Override
    public PciAttachment attach(PciDevice device, DmaMemory memory) throws IOException {
        if (device.ids().revision() == 0xee) {
            throw new IOException("device " + device.address() + " did not reset");
        }
        device.enableBusMastering();
        DmaMemory.DmaBuffer ring = memory.allocate(4096, 4096);
        return new PciAttachment.Net(device, name(), new FakeNic(device.address(), ring));
    }

    record FakeNic(String name, DmaMemory.DmaBuffer ring) implements NetDevice {
        @Override
        public byte[] macAddress() {
            return new byte[] {2, 0, 0, 0, 0, 1};
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public boolean linkUp() {
            return true;
        }

        @Override
        public int receive(FrameSink sink, int budget) {
            return 0;
        }

        @Override
        public boolean transmit(MemorySegment frame) {
            return false;
        }
    }
}
