package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The virtio-mmio probe over register models standing in for mapped windows. */
class VirtioMmioDriversTest {
    @TempDir
    Path platformDevices;

    private final Map<Long, DeviceRegisters> windows = new HashMap<>();

    private VirtioMmioSlot slot(int index, DeviceRegisters registers) {
        VirtioMmioSlot slot = new VirtioMmioSlot("LNRO0005:0" + index, 0xfeb00000L + 512L * index, 512);
        if (registers != null) {
            windows.put(slot.address(), registers);
        }
        return slot;
    }

    private VirtioMmioDrivers.ProbeResult probe(List<VirtioMmioSlot> slots, ArenaDmaMemory memory) {
        return VirtioMmioDrivers.probe(slots, slot -> {
            DeviceRegisters registers = windows.get(slot.address());
            if (registers == null) {
                throw new IOException("mmap failed for /dev/mem: errno 1");
            }
            return registers;
        }, platformDevices, memory);
    }

    @Test
    void everySlotEndsUpInExactlyOnePlace() throws IOException {
        VirtioMmioRegisterModel net = new VirtioMmioRegisterModel(VirtioMmioDrivers.NETWORK, 2, 256);
        VirtioMmioRegisterModel blk = new VirtioMmioRegisterModel(VirtioMmioDrivers.BLOCK, 1, 128);
        blk.config.putLong(VirtioBlkConfig.CAPACITY_OFFSET, 64);
        VirtioMmioRegisterModel empty = new VirtioMmioRegisterModel(0, 0, 0);
        VirtioMmioRegisterModel legacy = new VirtioMmioRegisterModel(VirtioMmioDrivers.NETWORK, 2, 256);
        legacy.version = 1;
        VirtioMmioRegisterModel entropy = new VirtioMmioRegisterModel(4, 1, 64);
        VirtioMmioRegisterModel owned = new VirtioMmioRegisterModel(VirtioMmioDrivers.NETWORK, 2, 256);
        List<VirtioMmioSlot> slots = List.of(slot(0, net), slot(1, empty), slot(2, legacy), slot(3, entropy), slot(4, null),
                slot(5, owned), slot(6, blk));
        Path device = Files.createDirectories(platformDevices.resolve("LNRO0005:05"));
        Files.createSymbolicLink(device.resolve("driver"), Path.of("../../../bus/platform/drivers/virtio-mmio"));
        try (ArenaDmaMemory memory = new ArenaDmaMemory()) {
            var found = probe(slots, memory);
            assertEquals(2, found.attached().size());
            var attachedNet = assertInstanceOf(VirtioMmioAttachment.Net.class, found.attached().get(0));
            assertEquals(slots.get(0), attachedNet.slot());
            assertEquals("virtio-net", attachedNet.driverName());
            var attachedBlk = assertInstanceOf(VirtioMmioAttachment.Block.class, found.attached().get(1));
            assertEquals(64, attachedBlk.device().blockCount());
            assertEquals(List.of(slots.get(1)), found.empty());
            assertEquals(List.of(new VirtioMmioDrivers.Unmatched(slots.get(3), VirtioMmioIdentity.read(entropy))), found.unmatched());
            assertEquals(List.of(new VirtioMmioDrivers.KernelOwned(slots.get(5), "virtio-mmio")), found.kernelOwned());
            assertEquals(0, owned.status, "a kernel-owned transport is not touched");
            assertTrue(owned.offsetsRead.isEmpty(), "a kernel-owned transport is not read");
            assertEquals(2, found.failures().size());
            assertEquals(slots.get(2), found.failures().get(0).slot());
            assertTrue(found.failures().get(0).cause().getMessage().contains("legacy virtio-mmio (version 1)"));
            assertEquals(0, legacy.status, "a refused transport is not initialised");
            assertEquals(slots.get(4), found.failures().get(1).slot());
            assertTrue(found.failures().get(1).cause().getMessage().contains("errno 1"));
            assertEquals(VirtioStatus.DRIVER_OK, net.status & VirtioStatus.DRIVER_OK);
            ((VirtioNetDevice) attachedNet.device()).close();
            ((VirtioBlkDevice) attachedBlk.device()).close();
        }
    }

    @Test
    void aDriverThatFailsToInitialiseIsAFailureNotAnException() {
        VirtioMmioRegisterModel noVersion1 = new VirtioMmioRegisterModel(VirtioMmioDrivers.NETWORK, 2, 256);
        noVersion1.deviceFeatures = 0; // lacks VERSION_1
        VirtioMmioRegisterModel net = new VirtioMmioRegisterModel(VirtioMmioDrivers.NETWORK, 2, 256);
        try (ArenaDmaMemory memory = new ArenaDmaMemory()) {
            var found = probe(List.of(slot(0, noVersion1), slot(1, net)), memory);
            assertEquals(1, found.failures().size());
            assertTrue(found.failures().get(0).cause().getMessage().contains("MISSING_REQUIRED_FEATURES"),
                    found.failures().get(0).cause().getMessage());
            assertEquals(1, found.attached().size(), "the next slot is still probed");
            ((VirtioNetDevice) ((VirtioMmioAttachment.Net) found.attached().get(0)).device()).close();
        }
    }

    @Test
    void aWindowTooSmallForTheRegistersIsNotMapped() {
        VirtioMmioSlot small = new VirtioMmioSlot("tiny", 0xfeb00000L, 0x80);
        try (ArenaDmaMemory memory = new ArenaDmaMemory()) {
            var found = VirtioMmioDrivers.probe(List.of(small), slot -> {
                throw new AssertionError("mapped a window too small to hold the registers");
            }, platformDevices, memory);
            assertEquals(1, found.failures().size());
        }
    }
}
