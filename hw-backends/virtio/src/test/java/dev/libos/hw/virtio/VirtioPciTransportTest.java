package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.api.time.ManualClock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The transport against a register model of virtio_pci_common_cfg. */
class VirtioPciTransportTest {
    private static final int MULTIPLIER = 4;
    private final VirtioPciRegisterModel registers = new VirtioPciRegisterModel(2, 128);
    private final RecordingRegisters notify = new RecordingRegisters(64);
    private final RecordingRegisters isr = new RecordingRegisters(4);
    private final RecordingRegisters config = new RecordingRegisters(32);
    private final VirtioPciTransport transport = new VirtioPciTransport(registers, notify, MULTIPLIER, isr, config);

    @Test
    void featuresTravelInTwo32BitHalves() {
        registers.deviceFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | 0x5;
        assertEquals(registers.deviceFeatures, transport.deviceFeatures());
        transport.writeDriverFeatures(VirtioFeatures.VERSION_1 | 0x4);
        assertEquals(VirtioFeatures.VERSION_1 | 0x4, registers.driverFeatures);
    }

    @Test
    void queueSetUpWritesSizeAndAddressesOfTheSelectedQueue() {
        assertEquals(2, transport.queueCount());
        assertEquals(128, transport.queueMaxSize(1));
        assertEquals(0, transport.queueMaxSize(2));
        assertEquals(0, transport.queueMaxSize(-1));
        transport.setupQueue(1, 64, 0x1_2345_6000L, 0xABCD_0000_1000L, 0xFFFF_FFFF_0000_2000L);
        transport.enableQueue(1);
        var q = registers.queues[1];
        assertEquals(64, q.size);
        assertEquals(0x1_2345_6000L, q.descriptorTable);
        assertEquals(0xABCD_0000_1000L, q.availRing);
        assertEquals(0xFFFF_FFFF_0000_2000L, q.usedRing);
        assertEquals(1, q.enable);
        assertEquals(0, registers.queues[0].enable);
        assertThrows(IllegalArgumentException.class, () -> transport.setupQueue(2, 64, 1, 2, 3));
    }

    @Test
    void notifyWritesTheQueueIndexAtItsDoorbell() {
        registers.queues[1].notifyOff = 3;
        transport.setupQueue(1, 64, 0x1000, 0x2000, 0x3000);
        transport.notifyQueue(1);
        assertEquals(1, notify.writes.size());
        assertEquals(new RecordingRegisters.Write(3 * MULTIPLIER, 2, 1), notify.writes.getFirst());
    }

    @Test
    void doorbellOutsideTheNotifyStructureOrUnknownQueueIsCountedNotWritten() {
        registers.queues[0].notifyOff = 100; // 400 bytes into a 64-byte window
        transport.setupQueue(0, 64, 0x1000, 0x2000, 0x3000);
        transport.notifyQueue(0);
        transport.notifyQueue(1); // never set up
        assertTrue(notify.writes.isEmpty());
        assertEquals(2, transport.notifyOutOfRange());
    }

    @Test
    void resetWaitsForStatusZero() {
        registers.status = VirtioStatus.DRIVER_OK;
        registers.resetReadsBeforeZero = 5;
        assertTrue(transport.reset());
        assertEquals(0, transport.readStatus());
    }

    @Test
    void resetThatNeverCompletesFails() {
        registers.status = VirtioStatus.DRIVER_OK;
        registers.resetHangs = true;
        assertFalse(transport.reset());
    }

    @Test
    void deviceConfigReadsAreBoundedAndIsrIsOneByte() {
        config.bytes.putInt(8, 0xCAFEF00D);
        isr.bytes.put(0, (byte) 3);
        assertEquals(0xCAFEF00D, transport.readConfig32(8));
        assertEquals(0xF00D, transport.readConfig16(8));
        assertEquals(3, transport.readInterruptStatus());
        assertThrows(IllegalArgumentException.class, () -> transport.readConfig32(30));
        assertThrows(IllegalArgumentException.class, () -> transport.readConfig16(3));
        assertThrows(IllegalArgumentException.class, () -> transport.readConfig8(-1));
    }

    @Test
    void windowsThatCannotHoldTheLayoutAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new VirtioPciTransport(new RecordingRegisters(40), notify, 4, isr, config));
        assertThrows(IllegalArgumentException.class,
                () -> new VirtioPciTransport(registers, notify, -1, isr, config));
    }

    @Test
    void blockDeviceRunsOverThePciTransport() throws IOException {
        registers.deviceFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | VirtioBlkConfig.F_FLUSH;
        config.bytes.putLong(VirtioBlkConfig.CAPACITY_OFFSET, 256);
        VirtioBlkDeviceModel disk = new VirtioBlkDeviceModel(256);
        notify.onWrite = () -> {
            var q = registers.queues[VirtioBlkConfig.REQUEST_QUEUE];
            if (!disk.attached()) {
                disk.attach(q.size, q.descriptorTable, q.availRing, q.usedRing,
                        VirtioFeatures.has(registers.driverFeatures, VirtioFeatures.RING_EVENT_IDX));
            }
            disk.serveAll();
        };
        try (ArenaDmaMemory memory = new ArenaDmaMemory(); Arena arena = Arena.ofConfined()) {
            VirtioBlkDevice device = VirtioBlkDevice.open("vblk0", transport, memory, 32, new ManualClock(), 1_000_000, () -> {
                throw new AssertionError("the device completes on notify; the driver never waits");
            });
            assertEquals(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.FEATURES_OK | VirtioStatus.DRIVER_OK,
                    registers.status);
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
            assertEquals(0, transport.notifyOutOfRange());
            device.close();
            assertEquals(0, registers.status);
        }
    }
}
