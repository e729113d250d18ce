package dev.libos.hw.virtio;

import dev.libos.api.device.DmaMemory;
import dev.libos.api.time.MonotonicClock;
import dev.libos.hw.pci.PciAttachment;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciIds;
import java.io.IOException;
import java.lang.foreign.Arena;

/** Claims modern and transitional virtio-blk PCI functions (1af4:1042, or transitional with subsystem device 2) and drives them with {@link VirtioBlkDevice}. */
public final class VirtioBlkPciDriver implements PciDriverProvider {
    /** Device id of a modern (non-transitional) virtio-blk: 0x1040 + device type 2. */
    /** The virtio device type (VIRTIO 1.2 section 5). */
    static final int DEVICE_TYPE = 2;
    public static final int DEVICE_ID = 0x1042;
    static final int MAX_QUEUE_SIZE = 128;
    static final long REQUEST_TIMEOUT_NANOS = 30_000_000_000L;

    @Override
    public String name() {
        return "virtio-blk";
    }

    @Override
    public boolean supports(PciIds ids) {
        return VirtioPci.claims(ids, DEVICE_TYPE);
    }

    /**
     * Opens a virtio-blk device on any transport the way a guest drives it: the system clock,
     * 30 s per request ({@link #REQUEST_TIMEOUT_NANOS}), and {@link Thread#yield()} between polls of
     * the used ring, so a libos thread waiting for its disk lets the other threads on its CPU run
     * (and costs nothing more than a poll when none is ready).
     */
    static VirtioBlkDevice openPolled(String name, VirtioTransport transport, DmaMemory memory) throws IOException {
        return VirtioBlkDevice.open(name, transport, memory, MAX_QUEUE_SIZE, MonotonicClock.system(),
                REQUEST_TIMEOUT_NANOS, Thread::yield);
    }

    @Override
    public PciAttachment attach(PciDevice device, DmaMemory memory) throws IOException {
        // The mappings live as long as the device is driven: for the life of the OS.
        VirtioPciTransport transport = VirtioPci.transport(device, Arena.global());
        VirtioBlkDevice blk = openPolled("vblk-" + device.address(), transport, memory);
        return new PciAttachment.Block(device, name(), blk);
    }
}
