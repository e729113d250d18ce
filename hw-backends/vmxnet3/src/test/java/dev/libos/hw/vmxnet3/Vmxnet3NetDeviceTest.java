package dev.libos.hw.vmxnet3;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Vmxnet3NetDeviceTest {
    private static final byte[] FALLBACK = {0x02, 0, 0, 0, 0, 1};
    private final Vmxnet3DeviceModel model = new Vmxnet3DeviceModel();
    private final CountingDmaMemory memory = new CountingDmaMemory();
    private Vmxnet3NetDevice device;

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
        memory.close();
    }

    private void open(int ringSize) throws IOException {
        device = Vmxnet3NetDevice.open("vmx0", model.bar0, model.bar1, memory, ringSize, FALLBACK);
    }

    static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (seed + i * 7);
        }
        return f;
    }

    private List<byte[]> receiveAll() {
        List<byte[]> frames = new ArrayList<>();
        device.receive(f -> frames.add(f.toArray(ValueLayout.JAVA_BYTE)), Integer.MAX_VALUE);
        return frames;
    }

    @Test
    void bringUpNegotiatesRevisionOneAndDescribesTheQueues() throws IOException {
        open(64);
        assertTrue(model.active);
        assertEquals(Vmxnet3Registers.REVISION_1, model.selectedRevision);
        assertEquals(Vmxnet3Registers.UPT_VERSION_1, model.selectedUptVersion);
        assertEquals(Vmxnet3Registers.CMD_RESET_DEV, model.commands.get(0), "reset before the shared area is given");
        assertEquals(Vmxnet3SharedLayout.MAGIC, model.sharedI32(Vmxnet3SharedLayout.MAGIC_OFFSET));
        assertEquals(1500, model.sharedI32(Vmxnet3SharedLayout.MTU_OFFSET));
        assertEquals(1, model.sharedU8(Vmxnet3SharedLayout.MAX_RX_SG));
        assertEquals(Vmxnet3SharedLayout.INTR_DISABLE_ALL, model.sharedI32(Vmxnet3SharedLayout.INTR_CTRL));
        assertEquals(Vmxnet3SharedLayout.RX_MODE_UNICAST | Vmxnet3SharedLayout.RX_MODE_BROADCAST,
                model.sharedI32(Vmxnet3SharedLayout.RX_MODE));
        assertEquals(0, model.sharedI32(Vmxnet3SharedLayout.UPT_FEATURES), "no offloads");
        assertEquals(64, model.txRing.size);
        assertEquals(64, model.txCompletions.size);
        assertEquals(64, model.rxRing1.size);
        assertEquals(32, model.rxRing2.size);
        assertEquals(96, model.rxCompletions.size, "one completion per descriptor of either ring");
        assertEquals(64, model.rxBuffersAvailable(), "ring 1 starts full");
        assertEquals(0, model.rxRing2Available(), "ring 2 stays empty");
        assertEquals(1, model.rxDoorbells, "RXPROD once at start");
        assertEquals(Vmxnet3Registers.IMR_MASKED, model.imr0, "interrupt masked: poll mode");
        assertTrue(model.commands.contains(Vmxnet3Registers.CMD_UPDATE_RX_MODE));
        assertArrayEquals(model.mac, device.macAddress());
        assertArrayEquals(model.mac, device.permanentMacAddress());
        assertTrue(device.linkUp());
        assertEquals(1000, device.linkSpeedMbps());
        model.linkState = 0;
        assertFalse(device.linkUp());
        assertEquals(1500, device.mtu());
    }

    @Test
    void aDeviceWithoutAUsableMacGetsTheFallback() throws IOException {
        model.mac = new byte[6];
        open(32);
        assertArrayEquals(FALLBACK, device.macAddress());
        assertNull(Vmxnet3NetDevice.macFrom(0x000000ff, 0), "multicast");
    }

    @Test
    void framesTravelInBothDirectionsAcrossSeveralGenerationWraps() throws IOException {
        open(32);
        for (int round = 0; round < 200; round++) { // six laps of every ring
            byte[] in = frame(60 + round % 1400, round);
            assertEquals(Vmxnet3DeviceModel.Delivery.DELIVERED, model.deliver(in));
            List<byte[]> got = receiveAll();
            assertEquals(1, got.size(), "round " + round);
            assertArrayEquals(in, got.get(0));

            byte[] out = frame(14 + round * 7 % 1500, 3 * round);
            assertTrue(device.transmit(MemorySegment.ofArray(out)));
            assertArrayEquals(out, model.transmitted.get(round));
        }
        var c = device.counters();
        assertEquals(200, c.rxFrames());
        assertEquals(200, c.txFrames());
        assertEquals(199, c.txCompleted(), "the last completion is taken back at the next transmit");
        assertEquals(0, c.rxMalformed() + c.rxErrors() + c.txMalformedIndex());
        assertEquals(32, model.rxBuffersAvailable(), "every receive buffer is back with the device");
        assertEquals(200, model.txDoorbells, "threshold 1: one TXPROD per frame");
        assertEquals(0, model.rxDoorbells - 1, "the device never asked for RXPROD");
    }

    @Test
    void aBurstFillsTheReceiveRingAndTheBudgetIsHonoured() throws IOException {
        open(32);
        for (int i = 0; i < 32; i++) {
            assertEquals(Vmxnet3DeviceModel.Delivery.DELIVERED, model.deliver(frame(64, i)));
        }
        assertEquals(Vmxnet3DeviceModel.Delivery.NO_BUFFER, model.deliver(frame(64, 99)), "ring 1 exhausted");
        List<byte[]> got = new ArrayList<>();
        assertEquals(5, device.receive(f -> got.add(f.toArray(ValueLayout.JAVA_BYTE)), 5));
        assertEquals(5, model.rxBuffersAvailable());
        assertEquals(27, receiveAll().size());
        assertEquals(32, model.rxBuffersAvailable());
        assertArrayEquals(frame(64, 0), got.get(0));
    }

    @Test
    void aFrameTooBigForItsBufferIsCountedAsADeviceError() throws IOException {
        open(32);
        assertEquals(Vmxnet3DeviceModel.Delivery.TRUNCATED, model.deliver(frame(3000, 1)));
        assertEquals(0, receiveAll().size());
        assertEquals(1, device.counters().rxErrors());
        assertEquals(32, model.rxBuffersAvailable(), "the buffer was re-posted");
    }

    @Test
    void fullTransmitRingIsBackPressureAndAStalledDeviceNeverHangs() throws IOException {
        open(32);
        model.processTxOnDoorbell = false; // the device stops sending
        MemorySegment f = MemorySegment.ofArray(frame(64, 1));
        for (int i = 0; i < 32; i++) {
            assertTrue(device.transmit(f), "descriptor " + i);
        }
        assertFalse(device.transmit(f), "every descriptor in flight");
        assertFalse(device.transmit(f));
        assertEquals(2, device.counters().txQueueFull());
        assertEquals(0, device.receive(frame -> fail(), 64), "nothing received, nothing waits");
        assertEquals(32, model.processTx(), "the whole ring was valid for the device (gen bits tell full from empty)");
        assertTrue(device.transmit(f));
        assertEquals(32, device.counters().txCompleted());
    }

    @Test
    void aTransmitThresholdBatchesDoorbellsAndThePollFlushesTheRest() throws IOException {
        model.txThreshold = 4;
        open(32);
        MemorySegment f = MemorySegment.ofArray(frame(64, 1));
        for (int i = 0; i < 6; i++) {
            device.transmit(f);
        }
        assertEquals(1, model.txDoorbells, "one TXPROD for the first four");
        assertEquals(4, model.transmitted.size());
        assertEquals(2, model.queueI32(Vmxnet3SharedArea.TX_QUEUE_DESC + Vmxnet3SharedLayout.TXQ_NUM_DEFERRED));
        device.receive(frame -> { }, 8);
        assertEquals(2, model.txDoorbells, "the poll sends what was deferred");
        assertEquals(6, model.transmitted.size());
        assertEquals(6, model.lastTxProducer);
    }

    @Test
    void rxProducerIsWrittenOnlyWhenTheDeviceAsksForIt() throws IOException {
        open(32);
        model.deliver(frame(64, 1));
        receiveAll();
        assertEquals(1, model.rxDoorbells);
        model.setUpdateRxProd(true);
        model.deliver(frame(64, 2));
        receiveAll();
        assertEquals(2, model.rxDoorbells);
        assertEquals(2, device.counters().rxDoorbells());
    }

    @Test
    void malformedReceiveCompletionsAreCountedAndDroppedNeverThrown() throws IOException {
        open(32);
        int good = Vmxnet3RingLayout.RCD_SOP | Vmxnet3RingLayout.RCD_EOP;
        model.writeRxCompletion(31 | good, 64, model.rxCompletions.gen);                 // not the oldest posted
        model.writeRxCompletion(4000 | good, 64, model.rxCompletions.gen);               // beyond the ring
        model.writeRxCompletion(0 | good | (1 << Vmxnet3RingLayout.RCD_RQID_SHIFT), 64, model.rxCompletions.gen); // ring 2
        assertTrue(model.deliverWithLength(Vmxnet3NetDevice.BUFFER_BYTES + 1));          // longer than the buffer
        assertTrue(model.deliverWithLength(13));                                         // shorter than Ethernet
        model.writeRxCompletion(2 | Vmxnet3RingLayout.RCD_SOP, 64, model.rxCompletions.gen); // a fragment (no eop)...
        model.rxRing1.advance();                                                         // ...of a buffer it consumed
        model.writeStaleRxCompletion(3 | good, 64);                                      // last lap's gen: invisible
        assertEquals(0, receiveAll().size());
        var c = device.counters();
        assertEquals(2, c.rxMalformedIndex());
        assertEquals(2, c.rxMalformedLength());
        assertEquals(2, c.rxMalformedShape());
        assertEquals(32, model.rxBuffersAvailable(), "consumed buffers were re-posted, no others touched");

        byte[] frame = frame(100, 9);
        assertEquals(Vmxnet3DeviceModel.Delivery.DELIVERED, model.deliver(frame), "the stale entry is overwritten");
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size());
        assertArrayEquals(frame, got.get(0));
    }

    @Test
    void aDuplicatedReceiveCompletionIsRefused() throws IOException {
        open(32);
        model.deliver(frame(64, 1));
        model.writeRxCompletion(0 | Vmxnet3RingLayout.RCD_SOP | Vmxnet3RingLayout.RCD_EOP, 64, model.rxCompletions.gen);
        assertEquals(1, receiveAll().size());
        assertEquals(1, device.counters().rxMalformedIndex());
    }

    @Test
    void malformedTransmitCompletionsAreCountedAndDropped() throws IOException {
        open(32);
        model.processTxOnDoorbell = false;
        MemorySegment f = MemorySegment.ofArray(frame(64, 1));
        device.transmit(f);
        device.transmit(f);
        model.writeTxCompletion(1, model.txCompletions.gen); // out of order: 0 is the oldest
        model.writeTxCompletion(7, model.txCompletions.gen); // never posted
        model.writeStaleTxCompletion(0);                     // wrong gen: invisible
        assertEquals(0, device.reclaimTransmitted());
        assertEquals(2, device.counters().txMalformedIndex());
        assertEquals(2, device.transmitsInFlight());
        model.processTx();
        assertEquals(2, device.reclaimTransmitted());
        model.writeTxCompletion(1, model.txCompletions.gen); // a duplicate
        assertEquals(0, device.reclaimTransmitted());
        assertEquals(3, device.counters().txMalformedIndex());
        assertEquals(2, model.transmitted.size());
    }

    @Test
    void deviceStatisticsComeFromTheQueueDescriptors() throws IOException {
        open(32);
        model.txStats[2] = 5;   // unicast frames
        model.txStats[6] = 1;   // broadcast frames
        model.txStats[3] = 500; // unicast bytes
        model.rxStats[8] = 7;   // out of buffers
        var stats = device.deviceStatistics();
        assertEquals(6, stats.txFrames());
        assertEquals(500, stats.txBytes());
        assertEquals(7, stats.rxOutOfBuffers());
        assertFalse(stats.rxQueueStopped());
    }

    @Test
    void closeQuiescesResetsAndReleasesEverything() throws IOException {
        open(32);
        assertTrue(memory.open > 0);
        device.close();
        device.close();
        assertFalse(model.active);
        assertEquals(0, memory.open);
        List<Integer> tail = model.commands.subList(model.commands.size() - 2, model.commands.size());
        assertEquals(List.of(Vmxnet3Registers.CMD_QUIESCE_DEV, Vmxnet3Registers.CMD_RESET_DEV), tail);
        device = null;
    }

    @Test
    void aRevisionTheDriverDoesNotSpeakFailsOpen() {
        model.offeredRevisions = 0x2;
        var e = assertThrows(IOException.class, () -> open(32));
        assertTrue(e.getMessage().contains("VRRS"), e.getMessage());
        assertEquals(0, memory.open);
    }

    @Test
    void refusedActivationFailsOpenResetsAndReleasesMemory() {
        model.refuseActivation = true;
        var e = assertThrows(IOException.class, () -> open(32));
        assertTrue(e.getMessage().contains("ACTIVATE_DEV"), e.getMessage());
        assertEquals(0, memory.open);
        assertEquals(Vmxnet3Registers.CMD_RESET_DEV, model.commands.getLast());
    }

    @Test
    void misuseIsAnIllegalArgument() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> open(48), "not a multiple of 32");
        assertThrows(IllegalArgumentException.class, () -> open(8192));
        open(32);
        var e = assertThrows(IllegalArgumentException.class, () -> device.transmit(MemorySegment.ofArray(new byte[1515])));
        assertTrue(e.getMessage().contains("1515"));
        assertThrows(IllegalArgumentException.class, () -> device.transmit(MemorySegment.ofArray(new byte[13])));
    }
}
