package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.api.device.NetDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtioNetDeviceTest {
    private static final byte[] MAC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    private static final byte[] FALLBACK = {0x02, 0, 0, 0, 0, 1};
    private final FakeVirtioTransport transport = new FakeVirtioTransport();
    private final ArenaDmaMemory memory = new ArenaDmaMemory();
    private VirtioNetDevice device;
    private VirtqueueDeviceModel rx;
    private VirtqueueDeviceModel tx;

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
        memory.close();
    }

    private void open(int queueSize) throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | VirtioFeatures.NET_MAC
                | VirtioFeatures.NET_STATUS | VirtioFeatures.NET_CSUM | VirtioFeatures.NET_MRG_RXBUF
                | VirtioFeatures.NET_GUEST_CSUM;
        openWithOffered(queueSize);
    }

    private void openWithOffered(int queueSize) throws IOException {
        transport.config.put(0, MAC);
        transport.config.putShort(VirtioNetConfig.STATUS_OFFSET, (short) VirtioNetConfig.STATUS_LINK_UP);
        device = VirtioNetDevice.open("vnet0", transport, memory, queueSize, FALLBACK);
        rx = model(VirtioNetConfig.RECEIVE_QUEUE);
        tx = model(VirtioNetConfig.TRANSMIT_QUEUE);
    }

    private VirtqueueDeviceModel model(int queue) {
        var setup = transport.queues.get(queue);
        int size = setup.size();
        return new VirtqueueDeviceModel(size,
                MemorySegment.ofAddress(setup.descriptorTable()).reinterpret(VirtqueueDescriptor.descriptorTableBytes(size)),
                MemorySegment.ofAddress(setup.availRing()).reinterpret(VirtqueueDescriptor.availRingBytes(size)),
                MemorySegment.ofAddress(setup.usedRing()).reinterpret(VirtqueueDescriptor.usedRingBytes(size)), true);
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (seed + i);
        }
        return f;
    }

    /** The device receives a frame from the wire: header + frame into the next receive buffer. */
    private void deliverFromWire(byte[] frame) {
        var chain = rx.pop();
        assertNotNull(chain, "driver posted a receive buffer");
        byte[] withHeader = new byte[VirtioNetHeader.LENGTH + frame.length];
        withHeader[VirtioNetHeader.NUM_BUFFERS_OFFSET] = 1;
        System.arraycopy(frame, 0, withHeader, VirtioNetHeader.LENGTH, frame.length);
        rx.complete(chain, chain.write(withHeader));
    }

    private List<byte[]> receiveAll() {
        return receive(64);
    }

    private List<byte[]> receive(int budget) {
        List<byte[]> frames = new ArrayList<>();
        device.receive(f -> frames.add(f.toArray(ValueLayout.JAVA_BYTE)), budget);
        return frames;
    }

    /**
     * The device writes one packet over {@code partLengths.length} receive buffers (5.1.6.4): the
     * header (claiming {@code numBuffers}) and the first part into the first buffer, the rest in
     * the following ones, each completed in used-ring order.
     */
    private void deliverMerged(byte[] frame, int numBuffers, int... partLengths) {
        deliverMergedWithFlags(frame, 0, numBuffers, partLengths);
    }

    /** {@link #deliverMerged} with {@code flags} in the header. */
    private void deliverMergedWithFlags(byte[] frame, int flags, int numBuffers, int... partLengths) {
        int off = 0;
        for (int i = 0; i < partLengths.length; i++) {
            var chain = rx.pop();
            assertNotNull(chain, "driver posted a receive buffer");
            int headerBytes = i == 0 ? VirtioNetHeader.LENGTH : 0;
            byte[] part = new byte[headerBytes + partLengths[i]];
            if (i == 0) {
                part[VirtioNetHeader.NUM_BUFFERS_OFFSET] = (byte) numBuffers;
                part[VirtioNetHeader.NUM_BUFFERS_OFFSET + 1] = (byte) (numBuffers >>> 8);
                part[VirtioNetHeader.FLAGS_OFFSET] = (byte) flags;
            }
            System.arraycopy(frame, off, part, headerBytes, partLengths[i]);
            off += partLengths[i];
            rx.complete(chain, chain.write(part));
        }
        assertEquals(frame.length, off, "the parts cover the frame");
    }

    /** Receives, recording for each frame whether the device vouched for its checksum. */
    private List<Boolean> receiveChecksumVerdicts() {
        List<Boolean> verdicts = new ArrayList<>();
        device.receive(new NetDevice.FrameSink() {
            @Override
            public void onFrame(MemorySegment frame) {
                verdicts.add(false);
            }

            @Override
            public void onFrame(MemorySegment frame, boolean transportChecksumVerified) {
                verdicts.add(transportChecksumVerified);
            }
        }, 64);
        return verdicts;
    }

    @Test
    void guestChecksumTrustsDataValidAndNeedsCsumOnly() throws IOException {
        open(8);
        assertTrue(VirtioFeatures.has(device.negotiatedFeatures(), VirtioFeatures.NET_GUEST_CSUM));
        deliverMergedWithFlags(frame(80, 1), VirtioNetHeader.FLAG_DATA_VALID, 1, 80);
        deliverMergedWithFlags(frame(80, 2), VirtioNetHeader.FLAG_NEEDS_CSUM, 1, 80);
        deliverMergedWithFlags(frame(80, 3), 0, 1, 80);
        deliverMergedWithFlags(frame(1400, 4), VirtioNetHeader.FLAG_DATA_VALID, 2, 700, 700); // the first header counts
        deliverMergedWithFlags(frame(80, 5), 0x80, 1, 80); // an unknown flag is not a verdict
        assertEquals(List.of(true, true, false, true, false), receiveChecksumVerdicts());
        assertEquals(3, device.counters().rxChecksumTrusted());
    }

    @Test
    void withoutGuestChecksumReceivedFlagsAreIgnored() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.NET_MRG_RXBUF;
        openWithOffered(8);
        assertFalse(VirtioFeatures.has(device.negotiatedFeatures(), VirtioFeatures.NET_GUEST_CSUM));
        deliverMergedWithFlags(frame(80, 1), VirtioNetHeader.FLAG_DATA_VALID, 1, 80);
        deliverMergedWithFlags(frame(80, 2), VirtioNetHeader.FLAG_NEEDS_CSUM, 1, 80);
        assertEquals(List.of(false, false), receiveChecksumVerdicts());
        assertEquals(0, device.counters().rxChecksumTrusted());
    }

    @Test
    void guestChecksumWithoutMergeableBuffersReadsTheFlagsOfTheBuffer() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.NET_GUEST_CSUM;
        openWithOffered(8);
        deliverMergedWithFlags(frame(80, 1), VirtioNetHeader.FLAG_DATA_VALID, 0, 80);
        deliverMergedWithFlags(frame(80, 2), 0, 0, 80);
        assertEquals(List.of(true, false), receiveChecksumVerdicts());
    }

    /** A frame with a 20-byte IPv4 header at 14 and the checksum field at 34 + 16 holding {@code 0xABCD}. */
    private static byte[] frameWithPartialChecksum(int length) {
        byte[] f = frame(length, 11);
        f[50] = (byte) 0xAB;
        f[51] = (byte) 0xCD;
        return f;
    }

    private static int u16le(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
    }

    @Test
    void transmitChecksumOffloadSendsNeedsCsumWithItsPosition() throws IOException {
        open(8);
        byte[] f = frameWithPartialChecksum(200);
        assertTrue(device.transmit(MemorySegment.ofArray(f), 34, 16));
        byte[] sent = tx.pop().readableBytes();
        assertEquals(VirtioNetHeader.FLAG_NEEDS_CSUM, sent[VirtioNetHeader.FLAGS_OFFSET]);
        assertEquals(VirtioNetHeader.GSO_NONE, sent[VirtioNetHeader.GSO_TYPE_OFFSET]);
        assertEquals(34, u16le(sent, VirtioNetHeader.CSUM_START_OFFSET));
        assertEquals(16, u16le(sent, VirtioNetHeader.CSUM_OFFSET_OFFSET));
        assertEquals(0, u16le(sent, VirtioNetHeader.NUM_BUFFERS_OFFSET), "the driver zeroes num_buffers");
        assertEquals(0, u16le(sent, VirtioNetHeader.HDR_LEN_OFFSET) | u16le(sent, VirtioNetHeader.GSO_SIZE_OFFSET));
        assertArrayEquals(f, Arrays.copyOfRange(sent, VirtioNetHeader.LENGTH, sent.length), "the partial sum is left for the device");
        assertEquals(1, device.counters().txChecksumOffloaded());

        assertTrue(device.transmit(MemorySegment.ofArray(f)));
        byte[] plain = tx.pop().readableBytes();
        assertArrayEquals(new byte[VirtioNetHeader.LENGTH], Arrays.copyOf(plain, VirtioNetHeader.LENGTH), "a plain frame: zero header");
        assertEquals(1, device.counters().txChecksumOffloaded());
    }

    @Test
    void aChecksumFieldOutsideTheFrameIsMisuse() throws IOException {
        open(8);
        MemorySegment f = MemorySegment.ofArray(frame(60, 1));
        assertThrows(IllegalArgumentException.class, () -> device.transmit(f, 50, 9)); // 59 + 2 > 60
        assertThrows(IllegalArgumentException.class, () -> device.transmit(f, -1, 16));
        assertEquals(0, device.counters().txFrames());
    }

    @Test
    void withoutCsumTheChecksumIsCompletedInSoftware() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1;
        openWithOffered(8);
        assertFalse(device.transmitChecksumOffload());
        byte[] f = frameWithPartialChecksum(101);
        byte[] original = f.clone();
        assertTrue(device.transmit(MemorySegment.ofArray(f), 34, 16));
        byte[] sent = tx.pop().readableBytes();
        assertArrayEquals(new byte[VirtioNetHeader.LENGTH], Arrays.copyOf(sent, VirtioNetHeader.LENGTH), "flags must be zero without CSUM");
        byte[] wire = Arrays.copyOfRange(sent, VirtioNetHeader.LENGTH, sent.length);
        // RFC 1071, computed independently: the complement of the sum from csum_start to the end
        // with the field as the caller left it (holding the pseudo-header sum).
        long expected = 0;
        for (int i = 34; i < original.length; i += 2) {
            expected += (original[i] & 0xFF) << 8 | (i + 1 < original.length ? original[i + 1] & 0xFF : 0);
        }
        while ((expected >>> 16) != 0) {
            expected = (expected & 0xFFFF) + (expected >>> 16);
        }
        int checksum = (wire[50] & 0xFF) << 8 | (wire[51] & 0xFF);
        int wanted = ~(int) expected & 0xFFFF;
        assertEquals(wanted == 0 ? 0xFFFF : wanted, checksum);
        assertArrayEquals(original, f, "the caller's frame is unchanged");
        assertEquals(0, device.counters().txChecksumOffloaded());
    }

    @Test
    void mergedPacketsAreGatheredInUsedRingOrder() throws IOException {
        open(8);
        for (int round = 0; round < 20; round++) { // 3 buffers a round: every buffer recycled many times
            byte[] big = frame(1514, round);
            deliverMerged(big, 3, 600, 600, 314);
            byte[] small = frame(64, 100 + round);
            deliverMerged(small, 1, 64);
            List<byte[]> got = receiveAll();
            assertEquals(2, got.size());
            assertArrayEquals(big, got.get(0));
            assertArrayEquals(small, got.get(1));
            assertEquals(8, rx.available(), "every receive buffer is back with the device");
        }
        assertEquals(40, device.counters().rxFrames());
        assertEquals(0, device.counters().rxErrors());
    }

    @Test
    void aPacketCutByTheBudgetIsFinishedOnTheNextPass() throws IOException {
        open(8);
        byte[] big = frame(1500, 9);
        deliverMerged(big, 3, 500, 500, 500);
        assertEquals(0, receive(1).size(), "one buffer of three: the packet waits");
        assertEquals(0, receive(1).size());
        List<byte[]> got = receive(1);
        assertEquals(1, got.size());
        assertArrayEquals(big, got.get(0));
        assertEquals(0, device.counters().rxErrors());
    }

    @Test
    void zeroNumBuffersIsDroppedAndTheNextPacketStillArrives() throws IOException {
        open(8);
        deliverMerged(frame(100, 1), 0, 100);
        byte[] good = frame(90, 2);
        deliverMerged(good, 2, 45, 45);
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size());
        assertArrayEquals(good, got.get(0));
        assertEquals(1, device.counters().rxErrors());
        assertEquals(8, rx.available());
    }

    @Test
    void moreBuffersAnnouncedThanArriveIsDroppedNotWaitedFor() throws IOException {
        open(8);
        deliverMerged(frame(200, 1), 3, 100, 100); // claims 3, the device returns 2
        assertEquals(0, receiveAll().size());
        assertEquals(1, device.counters().rxErrors());
        assertEquals(8, rx.available(), "both buffers re-posted");
        byte[] good = frame(80, 5);
        deliverMerged(good, 1, 80);
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size(), "the next packet starts afresh");
        assertArrayEquals(good, got.get(0));
    }

    @Test
    void numBuffersBeyondTheQueueSizeIsDropped() throws IOException {
        open(8);
        deliverMerged(frame(100, 1), 9, 100);
        deliverMerged(frame(100, 1), 0xFFFF, 100);
        byte[] good = frame(70, 3);
        deliverMerged(good, 1, 70);
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size());
        assertArrayEquals(good, got.get(0));
        assertEquals(2, device.counters().rxErrors());
    }

    @Test
    void aPacketLongerThanTheMtuAllowsIsDroppedWithAllItsBuffers() throws IOException {
        open(8);
        deliverMerged(frame(3000, 1), 3, 1000, 1000, 1000);
        byte[] good = frame(1514, 4);
        deliverMerged(good, 2, 1000, 514);
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size(), "the oversized packet's later buffers are not taken for a new packet");
        assertArrayEquals(good, got.get(0));
        assertEquals(1, device.counters().rxErrors());
        assertEquals(8, rx.available());
    }

    /** The device writes a GSO packet (gso_type TCPV4, NEEDS_CSUM) over as many buffers as it takes. */
    private void deliverLargeSegment(byte[] frame) {
        int parts = (frame.length + VirtioNetHeader.LENGTH + VirtioNetDevice.BUFFER_BYTES - 1) / VirtioNetDevice.BUFFER_BYTES;
        int off = 0;
        for (int i = 0; i < parts; i++) {
            var chain = rx.pop();
            assertNotNull(chain, "driver posted a receive buffer");
            int headerBytes = i == 0 ? VirtioNetHeader.LENGTH : 0;
            int bytes = Math.min(VirtioNetDevice.BUFFER_BYTES - headerBytes, frame.length - off);
            byte[] part = new byte[headerBytes + bytes];
            if (i == 0) {
                part[VirtioNetHeader.FLAGS_OFFSET] = (byte) VirtioNetHeader.FLAG_NEEDS_CSUM;
                part[VirtioNetHeader.GSO_TYPE_OFFSET] = 1; // VIRTIO_NET_HDR_GSO_TCPV4
                part[VirtioNetHeader.NUM_BUFFERS_OFFSET] = (byte) parts;
                part[VirtioNetHeader.NUM_BUFFERS_OFFSET + 1] = (byte) (parts >>> 8);
            }
            System.arraycopy(frame, off, part, headerBytes, bytes);
            off += bytes;
            rx.complete(chain, chain.write(part));
        }
    }

    @Test
    void guestTso4DeliversA64KiBSegmentAsOneVerifiedFrame() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.NET_MRG_RXBUF | VirtioFeatures.NET_GUEST_CSUM
                | VirtioFeatures.NET_GUEST_TSO4;
        openWithOffered(64);
        assertTrue(VirtioFeatures.has(device.negotiatedFeatures(), VirtioFeatures.NET_GUEST_TSO4));
        byte[] largest = frame(VirtioNetDevice.MAX_LARGE_FRAME, 3);
        deliverLargeSegment(largest);
        byte[] small = frame(80, 9);
        deliverMerged(small, 1, 80);
        List<byte[]> got = receiveAll();
        assertEquals(2, got.size());
        assertArrayEquals(largest, got.get(0), "all 33 buffers gathered in order");
        assertArrayEquals(small, got.get(1));
        assertEquals(1, device.counters().rxLargeSegments());
        assertEquals(0, device.counters().rxErrors());
        assertEquals(64, rx.available(), "every buffer went back to the device");
        deliverLargeSegment(largest);
        assertEquals(List.of(true), receiveChecksumVerdicts(), "NEEDS_CSUM: the stack does not verify a partial checksum");
    }

    @Test
    void guestTso4BeyondTheLargestFrameIsDropped() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.NET_MRG_RXBUF | VirtioFeatures.NET_GUEST_CSUM
                | VirtioFeatures.NET_GUEST_TSO4;
        openWithOffered(64);
        deliverLargeSegment(frame(VirtioNetDevice.MAX_LARGE_FRAME + 1, 3));
        byte[] small = frame(80, 9);
        deliverMerged(small, 1, 80);
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size());
        assertArrayEquals(small, got.get(0));
        assertEquals(1, device.counters().rxErrors());
        assertEquals(0, device.counters().rxLargeSegments());
    }

    @Test
    void guestTso4IsNotNegotiatedWithoutGuestChecksumOrMergeableBuffers() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.NET_MRG_RXBUF | VirtioFeatures.NET_GUEST_TSO4;
        openWithOffered(8);
        assertFalse(VirtioFeatures.has(device.negotiatedFeatures(), VirtioFeatures.NET_GUEST_TSO4), "5.1.3.1: needs GUEST_CSUM");
        device.close();
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.NET_GUEST_CSUM | VirtioFeatures.NET_GUEST_TSO4;
        openWithOffered(8);
        assertFalse(VirtioFeatures.has(device.negotiatedFeatures(), VirtioFeatures.NET_GUEST_TSO4), "2 KiB buffers need MRG_RXBUF");
        assertEquals(VirtioFeatures.VERSION_1 | VirtioFeatures.NET_GUEST_CSUM, transport.driverFeatures,
                "the device was told exactly what is used");
    }

    @Test
    void anInvalidLengthInsideAPacketDropsThePacket() throws IOException {
        open(8);
        byte[] f = frame(300, 1);
        var first = rx.pop();
        byte[] part = new byte[VirtioNetHeader.LENGTH + 100];
        part[VirtioNetHeader.NUM_BUFFERS_OFFSET] = 3;
        System.arraycopy(f, 0, part, VirtioNetHeader.LENGTH, 100);
        rx.complete(first, first.write(part));
        rx.complete(rx.pop(), VirtioNetDevice.BUFFER_BYTES + 1); // longer than the buffer
        var third = rx.pop();
        rx.complete(third, third.write(Arrays.copyOfRange(f, 200, 300)));
        byte[] good = frame(64, 7);
        deliverMerged(good, 1, 64);
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size());
        assertArrayEquals(good, got.get(0));
        assertEquals(1, device.counters().rxErrors());
        assertEquals(1, device.receiveQueueCounters().badLength());
    }

    @Test
    void withoutMergeableBuffersNumBuffersIsNotRead() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX;
        device = VirtioNetDevice.open("vnet0", transport, memory, 8, FALLBACK);
        rx = model(VirtioNetConfig.RECEIVE_QUEUE);
        byte[] f = frame(100, 1);
        deliverMerged(f, 0, 100); // num_buffers 0 is irrelevant without the feature
        List<byte[]> got = receiveAll();
        assertEquals(1, got.size());
        assertArrayEquals(f, got.get(0));
    }

    @Test
    void opensWithConfigAndNegotiatesOnlyWhatItSupports() throws IOException {
        open(16);
        assertArrayEquals(MAC, device.macAddress());
        assertTrue(device.linkUp());
        assertEquals(VirtioNetDevice.DEFAULT_MTU, device.mtu());
        long f = device.negotiatedFeatures();
        assertTrue(VirtioFeatures.has(f, VirtioFeatures.VERSION_1 | VirtioFeatures.NET_MAC | VirtioFeatures.NET_STATUS | VirtioFeatures.RING_EVENT_IDX));
        assertTrue(VirtioFeatures.has(f, VirtioFeatures.NET_CSUM | VirtioFeatures.NET_GUEST_CSUM), "checksum offload both ways");
        assertTrue(device.transmitChecksumOffload());
        assertTrue(VirtioFeatures.has(f, VirtioFeatures.NET_MRG_RXBUF), "mergeable buffers are negotiated");
        assertEquals(16, rx.available(), "the receive queue is filled");
        assertEquals(1, transport.notifications[VirtioNetConfig.RECEIVE_QUEUE]);
        assertTrue(transport.enabled.get(0) && transport.enabled.get(1));
        transport.config.putShort(VirtioNetConfig.STATUS_OFFSET, (short) 0);
        assertFalse(device.linkUp());
    }

    @Test
    void withoutMacFeatureTheFallbackIsUsed() throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1;
        device = VirtioNetDevice.open("vnet0", transport, memory, 8, FALLBACK);
        assertArrayEquals(FALLBACK, device.macAddress());
        assertTrue(device.linkUp(), "no STATUS feature: link assumed up");
    }

    @Test
    void framesTravelInBothDirections() throws IOException {
        open(8);
        for (int round = 0; round < 40; round++) { // more rounds than buffers: buffers are recycled
            byte[] in = frame(60 + round, round);
            deliverFromWire(in);
            List<byte[]> got = receiveAll();
            assertEquals(1, got.size());
            assertArrayEquals(in, got.get(0));

            byte[] out = frame(100 + round, 7 * round);
            assertTrue(device.transmit(MemorySegment.ofArray(out)));
            var chain = tx.pop();
            byte[] sent = chain.readableBytes();
            assertArrayEquals(new byte[VirtioNetHeader.LENGTH], Arrays.copyOf(sent, VirtioNetHeader.LENGTH), "zero header");
            assertArrayEquals(out, Arrays.copyOfRange(sent, VirtioNetHeader.LENGTH, sent.length));
            tx.complete(chain, 0);
        }
        assertEquals(40, device.counters().rxFrames());
        assertEquals(40, device.counters().txFrames());
        assertEquals(8, rx.available(), "every receive buffer is back with the device");
        assertEquals(0, device.receiveQueueCounters().deviceErrors() + device.transmitQueueCounters().deviceErrors());
    }

    @Test
    void fullTransmitQueueIsBackPressureNotLoss() throws IOException {
        open(4);
        MemorySegment f = MemorySegment.ofArray(frame(64, 1));
        for (int i = 0; i < 4; i++) {
            assertTrue(device.transmit(f));
        }
        assertFalse(device.transmit(f), "stalled device: queue full");
        assertFalse(device.transmit(f));
        assertEquals(2, device.counters().txQueueFull());
        tx.complete(tx.pop(), 0);
        assertTrue(device.transmit(f), "a completion frees a slot");
        assertFalse(device.transmit(f));
        assertEquals(5, device.counters().txFrames());
    }

    @Test
    void eventIndexSuppressesTransmitNotificationsWhileTheDeviceIsBusy() throws IOException {
        open(8);
        MemorySegment f = MemorySegment.ofArray(frame(64, 1));
        device.transmit(f);
        device.transmit(f);
        device.transmit(f);
        assertEquals(1, transport.notifications[VirtioNetConfig.TRANSMIT_QUEUE], "device has not caught up: one kick");
        while (tx.pop() != null) {
            // the device catches up; avail_event now asks for the next one
        }
        device.transmit(f);
        assertEquals(2, transport.notifications[VirtioNetConfig.TRANSMIT_QUEUE]);
    }

    @Test
    void misbehavingReceiveSideIsCountedNotThrown() throws IOException {
        open(8);
        var chain = rx.pop();
        rx.complete(chain, VirtioNetDevice.BUFFER_BYTES + 1); // longer than the buffer
        var shortChain = rx.pop();
        rx.complete(shortChain, VirtioNetHeader.LENGTH + 3); // shorter than an Ethernet header
        rx.completeRaw(1000, 64); // out-of-range id
        // (A duplicated completion is not tested here: the driver re-posts a buffer under the same
        // head id within the drain pass, so a late duplicate is indistinguishable from a real
        // completion of the re-posted buffer. VirtqueueSplitTest covers duplicates.)
        assertEquals(0, receiveAll().size());
        assertEquals(2, device.counters().rxErrors());
        assertEquals(1, device.receiveQueueCounters().droppedIdOutOfRange());
        assertEquals(1, device.receiveQueueCounters().badLength());
        // The two buffers were re-posted; the device has all 8 again (6 never popped + 2).
        assertEquals(8, rx.available());

        byte[] good = frame(80, 3);
        deliverFromWire(good);
        List<byte[]> got = receiveAll();
        assertTrue(got.stream().anyMatch(g -> Arrays.equals(g, good)));
    }

    @Test
    void brokenQueuesStopTrafficWithoutThrowingOrHanging() throws IOException {
        open(8);
        rx.jumpUsedIndex(100);
        assertEquals(0, receiveAll().size());
        assertEquals(0, receiveAll().size());
        assertEquals(1, device.receiveQueueCounters().usedIndexJumps());

        tx.jumpUsedIndex(-5);
        MemorySegment f = MemorySegment.ofArray(frame(64, 1));
        assertTrue(device.transmit(f), "a broken queue drops rather than refuses");
        assertTrue(device.transmit(f));
        assertEquals(2, device.counters().txDropped());
    }

    @Test
    void oversizedFrameIsMisuse() throws IOException {
        open(8);
        var e = assertThrows(IllegalArgumentException.class, () -> device.transmit(MemorySegment.ofArray(new byte[1515])));
        assertTrue(e.getMessage().contains("1515"));
    }

    @Test
    void deviceRefusingFeaturesFailsOpenAndReleasesMemory() {
        transport.rejectFeatures = true;
        var e = assertThrows(IOException.class, () -> VirtioNetDevice.open("vnet0", transport, memory, 8, FALLBACK));
        assertTrue(e.getMessage().contains("FEATURES_REJECTED"));
        assertEquals(0, memory.open);
    }

    @Test
    void setupFailureReleasesMemory() {
        transport.queueCount = 1;
        assertThrows(IOException.class, () -> VirtioNetDevice.open("vnet0", transport, memory, 8, FALLBACK));
        assertEquals(0, memory.open);
    }
}
