package dev.libos.hw.vmxnet3;

import dev.libos.hw.pci.LittleEndianMemory;
import static dev.libos.hw.vmxnet3.Vmxnet3SharedLayout.*;

import dev.libos.api.device.DmaMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the driver shares with the device, allocated in DMA memory and zeroed: the driver
 * shared area, the queue descriptor table (one tx, then one rx queue descriptor), the tx ring,
 * tx data ring and tx completion ring, rx rings 1 and 2 and the rx completion ring, and the
 * packet buffers. {@link #allocate} also writes the configuration the device reads at
 * ACTIVATE_DEV.
 */
final class Vmxnet3SharedArea {
    /** Offset of the tx queue descriptor in the table. */
    static final int TX_QUEUE_DESC = 0;
    /** Offset of the rx queue descriptor in the table: after the one tx queue descriptor. */
    static final int RX_QUEUE_DESC = TX_QUEUE_DESC_BYTES;
    static final int QUEUE_TABLE_BYTES = TX_QUEUE_DESC_BYTES + RX_QUEUE_DESC_BYTES;
    private static final int PAGE = 4096;

    private final List<DmaMemory.DmaBuffer> allocations = new ArrayList<>();
    private final DmaMemory memory;
    private final Vmxnet3Counters counters = new Vmxnet3Counters();
    private DmaMemory.DmaBuffer shared;
    private MemorySegment queueDescriptors;
    private Vmxnet3TxQueue tx;
    private Vmxnet3RxQueue rx;

    private Vmxnet3SharedArea(DmaMemory memory) {
        this.memory = memory;
    }

    /**
     * Allocates and configures everything for one tx queue with {@code ringSize} descriptors
     * and one rx queue with {@code ringSize} ring-1 and {@code ring2Size} ring-2 descriptors.
     */
    static Vmxnet3SharedArea allocate(DmaMemory memory, int ringSize, int ring2Size, int mtu) {
        Vmxnet3SharedArea area = new Vmxnet3SharedArea(memory);
        try {
            area.build(ringSize, ring2Size, mtu);
            return area;
        } catch (RuntimeException e) {
            area.release();
            throw e;
        }
    }

    private DmaMemory.DmaBuffer zeroed(long bytes, long alignment) {
        DmaMemory.DmaBuffer buffer = memory.allocate(bytes, alignment);
        allocations.add(buffer);
        // DMA pages are reused: a stale gen bit from an earlier owner would look like a
        // descriptor or completion of the current lap.
        buffer.segment().fill((byte) 0);
        return buffer;
    }

    private void build(int ringSize, int ring2Size, int mtu) {
        int rxCompletionSize = ringSize + ring2Size; // one completion per descriptor of either ring
        shared = zeroed(DRIVER_SHARED_BYTES, PAGE);
        DmaMemory.DmaBuffer table = zeroed(QUEUE_TABLE_BYTES, QUEUE_DESC_ALIGN);
        queueDescriptors = table.segment();
        DmaMemory.DmaBuffer txRing = zeroed(Vmxnet3RingLayout.ringBytes(ringSize), Vmxnet3RingLayout.RING_ALIGN);
        DmaMemory.DmaBuffer txData = zeroed((long) ringSize * Vmxnet3RingLayout.TX_DATA_ENTRY_BYTES, Vmxnet3RingLayout.RING_ALIGN);
        DmaMemory.DmaBuffer txCompletions = zeroed(Vmxnet3RingLayout.ringBytes(ringSize), Vmxnet3RingLayout.RING_ALIGN);
        DmaMemory.DmaBuffer rxRing1 = zeroed(Vmxnet3RingLayout.ringBytes(ringSize), Vmxnet3RingLayout.RING_ALIGN);
        DmaMemory.DmaBuffer rxRing2 = zeroed(Vmxnet3RingLayout.ringBytes(ring2Size), Vmxnet3RingLayout.RING_ALIGN);
        DmaMemory.DmaBuffer rxCompletions = zeroed(Vmxnet3RingLayout.ringBytes(rxCompletionSize), Vmxnet3RingLayout.RING_ALIGN);
        DmaMemory.DmaBuffer txBuffers = zeroed((long) ringSize * Vmxnet3NetDevice.BUFFER_BYTES, PAGE);
        DmaMemory.DmaBuffer rxBuffers = zeroed((long) ringSize * Vmxnet3NetDevice.BUFFER_BYTES, PAGE);

        MemorySegment s = shared.segment();
        LittleEndianMemory.putI32(s, MAGIC_OFFSET, MAGIC);
        LittleEndianMemory.putI32(s, DRIVER_VERSION, Vmxnet3NetDevice.DRIVER_VERSION_VALUE);
        LittleEndianMemory.putI32(s, GUEST_OS_INFO, GUEST_OS_64BIT_LINUX);
        LittleEndianMemory.putI32(s, REVISION_SUPPORTED, Vmxnet3Registers.REVISION_1);
        LittleEndianMemory.putI32(s, UPT_VERSION_SUPPORTED, Vmxnet3Registers.UPT_VERSION_1);
        LittleEndianMemory.putI64(s, UPT_FEATURES, 0); // no rx checksum, VLAN stripping, LRO or RSS
        LittleEndianMemory.putI64(s, QUEUE_DESC_PA, table.deviceAddress());
        LittleEndianMemory.putI32(s, QUEUE_DESC_LEN, QUEUE_TABLE_BYTES);
        LittleEndianMemory.putI32(s, MTU_OFFSET, mtu);
        LittleEndianMemory.putU16(s, MAX_RX_SG, 1); // one buffer per frame: ring 2 is never needed
        LittleEndianMemory.putU8(s, NUM_TX_QUEUES, 1);
        LittleEndianMemory.putU8(s, NUM_RX_QUEUES, 1);
        // One interrupt (index 0, which every queue names), never raised: poll mode.
        LittleEndianMemory.putU8(s, INTR_AUTO_MASK, 0);
        LittleEndianMemory.putU8(s, INTR_NUM, 1);
        LittleEndianMemory.putU8(s, INTR_EVENT_INDEX, 0);
        LittleEndianMemory.putI32(s, INTR_CTRL, INTR_DISABLE_ALL);
        LittleEndianMemory.putI32(s, RX_MODE, RX_MODE_UNICAST | RX_MODE_BROADCAST);

        MemorySegment q = queueDescriptors;
        int t = TX_QUEUE_DESC;
        LittleEndianMemory.putI64(q, t + TXQ_RING_PA, txRing.deviceAddress());
        LittleEndianMemory.putI64(q, t + TXQ_DATA_RING_PA, txData.deviceAddress());
        LittleEndianMemory.putI64(q, t + TXQ_COMP_RING_PA, txCompletions.deviceAddress());
        LittleEndianMemory.putI32(q, t + TXQ_RING_SIZE, ringSize);
        LittleEndianMemory.putI32(q, t + TXQ_DATA_RING_SIZE, ringSize);
        LittleEndianMemory.putI32(q, t + TXQ_COMP_RING_SIZE, ringSize);
        LittleEndianMemory.putU8(q, t + TXQ_INTR_INDEX, 0);
        int r = RX_QUEUE_DESC;
        LittleEndianMemory.putI64(q, r + RXQ_RING1_PA, rxRing1.deviceAddress());
        LittleEndianMemory.putI64(q, r + RXQ_RING2_PA, rxRing2.deviceAddress());
        LittleEndianMemory.putI64(q, r + RXQ_COMP_RING_PA, rxCompletions.deviceAddress());
        LittleEndianMemory.putI32(q, r + RXQ_RING1_SIZE, ringSize);
        LittleEndianMemory.putI32(q, r + RXQ_RING2_SIZE, ring2Size);
        LittleEndianMemory.putI32(q, r + RXQ_COMP_RING_SIZE, rxCompletionSize);
        LittleEndianMemory.putU8(q, r + RXQ_INTR_INDEX, 0);

        tx = new Vmxnet3TxQueue(ringSize, txRing.segment(), txCompletions.segment(), txBuffers.segment(),
                txBuffers.deviceAddress(), counters);
        rx = new Vmxnet3RxQueue(ringSize, rxCompletionSize, rxRing1.segment(), rxCompletions.segment(),
                rxBuffers.segment(), rxBuffers.deviceAddress(), counters);
    }

    /** Releases every allocation (the device must no longer use them). */
    void release() {
        for (DmaMemory.DmaBuffer buffer : allocations) {
            buffer.close();
        }
        allocations.clear();
    }

    List<DmaMemory.DmaBuffer> allocations() {
        return allocations;
    }

    MemorySegment shared() {
        return shared.segment();
    }

    long sharedDeviceAddress() {
        return shared.deviceAddress();
    }

    MemorySegment queueDescriptors() {
        return queueDescriptors;
    }

    Vmxnet3TxQueue tx() {
        return tx;
    }

    Vmxnet3RxQueue rx() {
        return rx;
    }

    Vmxnet3Counters counters() {
        return counters;
    }
}
