package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.api.time.ManualClock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The virtio-mmio transport against a register model of the version 2 layout. */
class VirtioMmioTransportTest {
    private static final int NET = 1;
    private static final int BLOCK = 2;
    private final VirtioMmioRegisterModel registers = new VirtioMmioRegisterModel(NET, 2, 256);

    private VirtioMmioTransport open() throws IOException {
        return VirtioMmioTransport.open(registers, "slot0");
    }

    @Test
    void identityIsReadAndTheDeviceTypeKept() throws IOException {
        VirtioMmioTransport transport = open();
        assertEquals(VirtioMmioIdentity.Kind.DEVICE, transport.identity().kind());
        assertEquals(NET, transport.identity().deviceId());
        assertEquals(0x554d4551, transport.identity().vendorId());
    }

    @Test
    void wrongMagicIsRefusedBeforeAnyOtherRegisterIsRead() {
        registers.magic = 0x12345678;
        IOException e = assertThrows(IOException.class, this::open);
        assertEquals("slot0: not a virtio-mmio transport: magic value 0x12345678 instead of 0x74726976 (\"virt\")", e.getMessage());
        assertEquals(Set.of(VirtioMmioRegisters.MAGIC_VALUE), registers.offsetsRead);
    }

    @Test
    void legacyVersionOneIsRefusedWithTheWayOut() {
        registers.version = 1;
        IOException e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().startsWith("slot0: legacy virtio-mmio (version 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("force-legacy=false"), e.getMessage());
        assertEquals(Set.of(VirtioMmioRegisters.MAGIC_VALUE, VirtioMmioRegisters.VERSION), registers.offsetsRead,
                "section 4.2.3.1.1: nothing past Version is read");
    }

    @Test
    void unknownVersionIsRefused() {
        registers.version = 3;
        IOException e = assertThrows(IOException.class, this::open);
        assertEquals("slot0: virtio-mmio of unknown version 3 (only version 2 is supported)", e.getMessage());
        assertEquals(VirtioMmioIdentity.Kind.UNKNOWN_VERSION, VirtioMmioIdentity.read(registers).kind());
    }

    @Test
    void deviceIdZeroIsAnEmptySlotAndNothingElseIsTouched() {
        registers.deviceId = 0;
        assertEquals(VirtioMmioIdentity.Kind.EMPTY, VirtioMmioIdentity.read(registers).kind());
        IOException e = assertThrows(IOException.class, this::open);
        assertEquals("slot0: virtio-mmio version 2 with no device (device id 0)", e.getMessage());
        assertFalse(registers.offsetsRead.contains(VirtioMmioRegisters.STATUS));
    }

    @Test
    void windowTooSmallForTheRegistersIsRefused() {
        IOException e = assertThrows(IOException.class, () -> VirtioMmioTransport.open(new RecordingRegisters(0xfc), "tiny"));
        assertTrue(e.getMessage().startsWith("tiny: a window of 252 bytes"), e.getMessage());
    }

    @Test
    void featuresTravelInTwo32BitHalvesThroughTheSelects() throws IOException {
        VirtioMmioTransport transport = open();
        registers.deviceFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | 0x5;
        assertEquals(registers.deviceFeatures, transport.deviceFeatures());
        transport.writeDriverFeatures(VirtioFeatures.VERSION_1 | 0x4);
        assertEquals(VirtioFeatures.VERSION_1 | 0x4, registers.driverFeatures);
    }

    @Test
    void queuesAreCountedUntilQueueNumMaxReadsZero() throws IOException {
        VirtioMmioTransport transport = open();
        assertEquals(2, transport.queueCount());
        assertEquals(256, transport.queueMaxSize(1));
        assertEquals(0, transport.queueMaxSize(2));
        assertEquals(0, transport.queueMaxSize(-1));
        VirtioMmioRegisterModel none = new VirtioMmioRegisterModel(NET, 0, 0);
        assertEquals(0, VirtioMmioTransport.open(none, "none").queueCount());
    }

    @Test
    void aQueueAlreadyInUseOffersNoSize() throws IOException {
        VirtioMmioTransport transport = open();
        registers.queues[0].ready = 1;
        assertEquals(0, transport.queueMaxSize(0), "section 4.2.3.2: a ready queue is in use");
        assertEquals(256, transport.queueMaxSize(1));
    }

    @Test
    void queueSetUpWritesSizeAndAddressHalvesOfTheSelectedQueueThenReady() throws IOException {
        VirtioMmioTransport transport = open();
        transport.setupQueue(1, 64, 0x1_2345_6000L, 0xABCD_0000_1000L, 0xFFFF_FFFF_0000_2000L);
        var q = registers.queues[1];
        assertEquals(0, q.ready, "set up is not enabled");
        transport.enableQueue(1);
        assertEquals(64, q.size);
        assertEquals(0x1_2345_6000L, q.descriptorTable);
        assertEquals(0xABCD_0000_1000L, q.availRing);
        assertEquals(0xFFFF_FFFF_0000_2000L, q.usedRing);
        assertEquals(1, q.ready);
        assertEquals(0, registers.queues[0].ready);
        assertThrows(IllegalArgumentException.class, () -> transport.setupQueue(2, 64, 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> transport.setupQueue(-1, 64, 1, 2, 3));
    }

    @Test
    void notifyWritesTheQueueIndex() throws IOException {
        VirtioMmioTransport transport = open();
        transport.notifyQueue(1);
        transport.notifyQueue(0);
        assertEquals(List.of(1, 0), registers.notifications);
    }

    @Test
    void interruptStatusIsAcknowledgedOnRead() throws IOException {
        VirtioMmioTransport transport = open();
        registers.interruptStatus = 3;
        assertEquals(3, transport.readInterruptStatus());
        assertEquals(0, registers.interruptStatus);
        assertEquals(0, transport.readInterruptStatus());
    }

    @Test
    void statusWritesAndResetWaitsForZero() throws IOException {
        VirtioMmioTransport transport = open();
        transport.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER);
        assertEquals(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER, transport.readStatus());
        registers.resetReadsBeforeZero = 5;
        assertTrue(transport.reset());
        assertEquals(0, transport.readStatus());
        registers.status = VirtioStatus.DRIVER_OK;
        registers.resetHangs = true;
        assertFalse(transport.reset());
    }

    @Test
    void deviceConfigurationStartsAt0x100AndIsBounded() throws IOException {
        VirtioMmioTransport transport = open();
        registers.config.putInt(8, 0xCAFEF00D);
        registers.configGeneration = 7;
        assertEquals(0xCAFEF00D, transport.readConfig32(8));
        assertEquals(0xF00D, transport.readConfig16(8));
        assertEquals(0x0D, transport.readConfig8(8));
        assertEquals(7, transport.configGeneration());
        assertThrows(IllegalArgumentException.class, () -> transport.readConfig32(0x100));
        assertThrows(IllegalArgumentException.class, () -> transport.readConfig16(3));
        assertThrows(IllegalArgumentException.class, () -> transport.readConfig8(-1));
    }

    @Test
    void networkDeviceRunsOverTheMmioTransport() throws IOException {
        byte[] mac = {0x52, 0x54, 0, 0x12, 0x34, 0x57};
        registers.deviceFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | VirtioFeatures.NET_MAC;
        registers.config.put(VirtioNetConfig.MAC_OFFSET, mac);
        try (ArenaDmaMemory memory = new ArenaDmaMemory()) {
            VirtioNetDevice device = VirtioNetDevice.open("vnet-mmio", open(), memory, 16, new byte[6]);
            assertArrayEquals(mac, device.macAddress());
            assertEquals(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.FEATURES_OK | VirtioStatus.DRIVER_OK,
                    registers.status);
            assertEquals(List.of(VirtioNetConfig.RECEIVE_QUEUE), registers.notifications, "the filled receive queue was announced");
            var txQueue = registers.queues[VirtioNetConfig.TRANSMIT_QUEUE];
            VirtqueueDeviceModel tx = new VirtqueueDeviceModel(txQueue.size,
                    MemorySegment.ofAddress(txQueue.descriptorTable).reinterpret(VirtqueueDescriptor.descriptorTableBytes(txQueue.size)),
                    MemorySegment.ofAddress(txQueue.availRing).reinterpret(VirtqueueDescriptor.availRingBytes(txQueue.size)),
                    MemorySegment.ofAddress(txQueue.usedRing).reinterpret(VirtqueueDescriptor.usedRingBytes(txQueue.size)), true);
            byte[] frame = new byte[60];
            Arrays.fill(frame, (byte) 0x5a);
            assertTrue(device.transmit(MemorySegment.ofArray(frame)));
            byte[] sent = tx.pop().readableBytes();
            assertArrayEquals(frame, Arrays.copyOfRange(sent, VirtioNetHeader.LENGTH, sent.length));
            device.close();
            assertEquals(0, registers.status);
        }
    }

    @Test
    void blockDeviceRunsOverTheMmioTransport() throws IOException {
        VirtioMmioRegisterModel blockRegisters = new VirtioMmioRegisterModel(BLOCK, 1, 128);
        blockRegisters.deviceFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | VirtioBlkConfig.F_FLUSH;
        blockRegisters.config.putLong(VirtioBlkConfig.CAPACITY_OFFSET, 256);
        VirtioBlkDeviceModel disk = new VirtioBlkDeviceModel(256);
        blockRegisters.onNotify = queue -> {
            var q = blockRegisters.queues[queue];
            if (!disk.attached()) {
                disk.attach(q.size, q.descriptorTable, q.availRing, q.usedRing,
                        VirtioFeatures.has(blockRegisters.driverFeatures, VirtioFeatures.RING_EVENT_IDX));
            }
            disk.serveAll();
        };
        try (ArenaDmaMemory memory = new ArenaDmaMemory(); Arena arena = Arena.ofConfined()) {
            VirtioBlkDevice device = VirtioBlkDevice.open("vblk-mmio", VirtioMmioTransport.open(blockRegisters, "slot1"), memory, 32,
                    new ManualClock(), 1_000_000, () -> {
                        throw new AssertionError("the device completes on notify; the driver never waits");
                    });
            assertEquals(256, device.blockCount());
            MemorySegment data = arena.allocate(4096);
            for (int i = 0; i < 4096; i++) {
                data.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 13));
            }
            device.write(16, data);
            device.flush();
            MemorySegment back = arena.allocate(4096);
            device.read(16, back);
            assertEquals(-1, data.mismatch(back));
            assertEquals(3, disk.served);
            device.close();
            assertEquals(0, blockRegisters.status);
        }
    }
}
