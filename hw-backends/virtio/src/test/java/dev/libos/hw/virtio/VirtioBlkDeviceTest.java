package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.api.time.ManualClock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtioBlkDeviceTest {
    private static final long TIMEOUT_NANOS = 50_000_000L;
    private static final long PAUSE_NANOS = 1_000_000L;
    private static final int SECTORS = 1024;
    private final FakeVirtioTransport transport = new FakeVirtioTransport();
    private final ArenaDmaMemory memory = new ArenaDmaMemory();
    private final VirtioBlkDeviceModel model = new VirtioBlkDeviceModel(SECTORS);
    private final ManualClock clock = new ManualClock(1_000);
    private final Arena arena = Arena.ofShared();
    private int pauses;
    private VirtioBlkDevice device;

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
        arena.close();
        memory.close();
    }

    private void open(long extraFeatures) throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | extraFeatures;
        transport.config.putLong(VirtioBlkConfig.CAPACITY_OFFSET, SECTORS);
        transport.queueCount = 1;
        transport.onNotify = model::serveAll;
        // Waiting costs 1 ms of injected time per poll; the device only works when notified.
        device = VirtioBlkDevice.open("vblk0", transport, memory, 64, clock, TIMEOUT_NANOS, () -> {
            pauses++;
            clock.advance(PAUSE_NANOS);
        });
        model.attach(transport);
    }

    private MemorySegment pattern(int bytes, int seed) {
        MemorySegment s = arena.allocate(bytes);
        for (int i = 0; i < bytes; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (seed * 31 + i * 7));
        }
        return s;
    }

    @Test
    void capacityIsInSectorsAndOnlySupportedFeaturesAreTaken() throws IOException {
        open(VirtioBlkConfig.F_FLUSH | VirtioBlkConfig.F_SEG_MAX);
        assertEquals(512, device.blockSize());
        assertEquals(SECTORS, device.blockCount());
        assertTrue(VirtioFeatures.has(device.negotiatedFeatures(), VirtioBlkConfig.F_FLUSH));
        assertFalse(VirtioFeatures.has(device.negotiatedFeatures(), VirtioBlkConfig.F_SEG_MAX));
        assertEquals(Boolean.TRUE, transport.enabled.get(VirtioBlkConfig.REQUEST_QUEUE));
        assertFalse(device.readOnly());
    }

    @Test
    void blkSizeGivesTheBlockSizeAndSectorsStayIn512Bytes() throws IOException {
        transport.config.putInt(VirtioBlkConfig.BLK_SIZE_OFFSET, 4096);
        open(VirtioBlkConfig.F_BLK_SIZE);
        assertEquals(4096, device.blockSize());
        assertEquals(SECTORS / 8, device.blockCount());
        device.write(3, pattern(4096, 5));
        // Block 3 of 4096 bytes is sector 24.
        assertArrayEquals(pattern(4096, 5).toArray(ValueLayout.JAVA_BYTE),
                Arrays.copyOfRange(model.disk, 24 * 512, 24 * 512 + 4096));
    }

    @Test
    void unusableBlkSizeFallsBackTo512() throws IOException {
        transport.config.putInt(VirtioBlkConfig.BLK_SIZE_OFFSET, 1000);
        open(VirtioBlkConfig.F_BLK_SIZE);
        assertEquals(512, device.blockSize());
    }

    @Test
    void writeThenReadBackAcrossSeveralRequests() throws IOException {
        open(0);
        int bytes = 200 * 1024; // more than three bounce buffers
        MemorySegment written = pattern(bytes, 1);
        device.write(100, written);
        MemorySegment read = arena.allocate(bytes);
        device.read(100, read);
        assertEquals(-1, written.mismatch(read));
        assertArrayEquals(written.toArray(ValueLayout.JAVA_BYTE), Arrays.copyOfRange(model.disk, 100 * 512, 100 * 512 + bytes));
        int requests = (bytes + VirtioBlkDevice.MAX_TRANSFER_BYTES - 1) / VirtioBlkDevice.MAX_TRANSFER_BYTES;
        assertEquals(2 * requests, model.served);
        assertEquals(requests, device.counters().reads());
        assertEquals(bytes, device.counters().bytesWritten());
        assertEquals(0, pauses, "every request completed on notify, no waiting");
        assertEquals(0, device.requestQueueCounters().deviceErrors());
    }

    @Test
    void sizeMaxLimitsOneRequest() throws IOException {
        transport.config.putInt(VirtioBlkConfig.SIZE_MAX_OFFSET, 4096 + 100);
        open(VirtioBlkConfig.F_SIZE_MAX);
        assertEquals(4096, device.transferBytes());
        device.write(0, pattern(16384, 2));
        assertEquals(4, model.served);
    }

    @Test
    void flushIsSentOnlyWhenNegotiated() throws IOException {
        open(VirtioBlkConfig.F_FLUSH);
        device.flush();
        assertEquals(1, model.flushes);
        assertEquals(1, device.counters().flushes());
    }

    @Test
    void flushWithoutTheFeatureSendsNothing() throws IOException {
        open(0);
        device.flush();
        assertEquals(0, model.served);
    }

    @Test
    void ioErrorIsReportedWithTheSectorAndTheDeviceKeepsWorking() throws IOException {
        open(0);
        model.failingSectors.add(10L);
        IOException e = assertThrows(IOException.class, () -> device.read(8, arena.allocate(4 * 512)));
        assertTrue(e.getMessage().contains("sector 8") && e.getMessage().contains("IOERR"), e.getMessage());
        assertEquals(1, device.counters().ioErrors());
        device.write(20, pattern(512, 3));
        MemorySegment back = arena.allocate(512);
        device.read(20, back);
        assertEquals(-1, back.mismatch(pattern(512, 3)));
    }

    @Test
    void unsupportedRequestIsReported() throws IOException {
        open(VirtioBlkConfig.F_FLUSH);
        model.unsupportedTypes.add(VirtioBlkConfig.TYPE_FLUSH);
        IOException e = assertThrows(IOException.class, device::flush);
        assertTrue(e.getMessage().contains("UNSUPP"), e.getMessage());
        assertEquals(1, device.counters().unsupported());
    }

    @Test
    void stalledDeviceTimesOutOnTheInjectedClock() throws IOException {
        open(0);
        model.stalled = true;
        long start = clock.nanoTime();
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(IOException.class, () -> device.read(42, arena.allocate(512))));
        assertTrue(e.getMessage().contains("sector 42") && e.getMessage().contains("timed out"), e.getMessage());
        assertEquals(TIMEOUT_NANOS, clock.nanoTime() - start, "gave up exactly at the deadline");
        assertEquals(TIMEOUT_NANOS / PAUSE_NANOS, pauses);
        assertEquals(1, device.counters().timeouts());
    }

    @Test
    void abandonedRequestHoldsItsSlotUntilTheDeviceCompletesItLate() throws IOException {
        open(0);
        transport.onNotify = () -> { };
        assertThrows(IOException.class, () -> device.read(1, arena.allocate(512)));
        var held = model.popAndHold();
        assertEquals(1, held.size());
        model.completeLate(held.getFirst());
        transport.onNotify = model::serveAll;
        device.write(2, pattern(512, 9));
        assertEquals(1, device.counters().lateCompletions());
        assertEquals(1, device.counters().writes());
        assertEquals(0, device.counters().reads(), "the late read is not delivered to anyone");
    }

    @Test
    void whenEverySlotIsHeldRequestsFailAtOnce() throws IOException {
        open(0);
        model.stalled = true;
        int timeouts = 0;
        IOException last;
        while (true) {
            int before = pauses;
            last = assertThrows(IOException.class, () -> device.read(0, arena.allocate(512)));
            if (pauses == before) {
                break; // refused without waiting
            }
            timeouts++;
            assertTrue(timeouts <= 64, "slots are bounded");
        }
        assertTrue(last.getMessage().contains("request slots"), last.getMessage());
        assertEquals(timeouts, device.counters().timeouts());
        assertTrue(timeouts >= 1);
    }

    @Test
    void unknownStatusIsABadCompletion() throws IOException {
        open(0);
        model.statusOverride = 7;
        IOException e = assertThrows(IOException.class, () -> device.write(6, pattern(512, 1)));
        assertTrue(e.getMessage().contains("sector 6") && e.getMessage().contains("status 7"), e.getMessage());
        assertEquals(1, device.counters().badCompletions());
    }

    @Test
    void shortSuccessfulReadIsABadCompletion() throws IOException {
        open(0);
        model.lengthOverride = 1;
        IOException e = assertThrows(IOException.class, () -> device.read(7, arena.allocate(1024)));
        assertTrue(e.getMessage().contains("sector 7"), e.getMessage());
        assertEquals(1, device.counters().badCompletions());
    }

    @Test
    void impossibleUsedLengthIsABadCompletion() throws IOException {
        open(0);
        model.lengthOverride = 0;
        IOException e = assertThrows(IOException.class, () -> device.write(5, pattern(512, 1)));
        assertTrue(e.getMessage().contains("sector 5"), e.getMessage());
        assertEquals(1, device.counters().badCompletions());
    }

    @Test
    void readOnlyDeviceRefusesWrites() throws IOException {
        open(VirtioBlkConfig.F_RO);
        assertTrue(device.readOnly());
        assertThrows(IOException.class, () -> device.write(0, pattern(512, 1)));
        assertEquals(0, model.served);
    }

    @Test
    void readIdReturnsTheDevicesSerial() throws IOException {
        open(0);
        model.id = "libos-state".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("libos-state", device.readId());
        model.id = "abcdefghijklmnopqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("abcdefghijklmnopqrst", device.readId(), "an id fills all 20 bytes without a NUL");
        assertEquals(0, device.counters().badCompletions());
    }

    @Test
    void deviceWithoutIdsGivesAnEmptyIdAndKeepsWorking() throws IOException {
        open(0);
        model.id = null;
        assertEquals("", device.readId());
        assertEquals(1, device.counters().unsupported());
        device.write(0, pattern(512, 1));
    }

    @Test
    void unprintableIdIsDroppedAndCounted() throws IOException {
        open(0);
        model.id = new byte[] {'o', 'k', 7, 'x'};
        assertEquals("", device.readId());
        assertEquals(1, device.counters().badCompletions());
    }

    @Test
    void idWithAnImpossibleLengthIsABadCompletion() throws IOException {
        open(0);
        model.id = "x".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        model.lengthOverride = 40;
        IOException e = assertThrows(IOException.class, device::readId);
        assertTrue(e.getMessage().contains("impossible used length"), e.getMessage());
        assertEquals(1, device.counters().badCompletions());
    }

    @Test
    void misuseIsIllegalArgument() throws IOException {
        open(0);
        assertThrows(IllegalArgumentException.class, () -> device.read(0, arena.allocate(100)));
        assertThrows(IllegalArgumentException.class, () -> device.read(SECTORS, arena.allocate(512)));
        assertThrows(IllegalArgumentException.class, () -> device.read(-1, arena.allocate(512)));
        assertThrows(IllegalArgumentException.class,
                () -> VirtioBlkDevice.open("x", new FakeVirtioTransport(), memory, 64, clock, 0, () -> { }));
    }

    @Test
    void failedInitialisationReleasesMemory() {
        transport.queueMaxSize = 2;
        transport.queueCount = 1;
        IOException e = assertThrows(IOException.class,
                () -> VirtioBlkDevice.open("vblk1", transport, memory, 64, clock, TIMEOUT_NANOS, () -> { }));
        assertTrue(e.getMessage().contains("SETUP_FAILED"), e.getMessage());
        assertEquals(0, memory.open);
    }
}
