package dev.libos.hw.vmxnet3;

import dev.libos.hw.pci.LittleEndianMemory;
import static dev.libos.hw.vmxnet3.Vmxnet3RingLayout.*;

import java.lang.foreign.MemorySegment;

/**
 * The driver side of one vmxnet3 transmit queue: the tx command ring (we produce, the device
 * consumes) and its completion ring (the device produces, we consume), one descriptor and one
 * fixed {@link Vmxnet3NetDevice#BUFFER_BYTES}-byte buffer per frame, buffer {@code i} always at
 * descriptor {@code i}. Single-threaded.
 *
 * <p>The device consumes descriptors strictly in ring order and writes one completion per
 * packet ({@code cq} is set on every one), naming its EOP descriptor; so the only believable
 * completion is the one naming the oldest descriptor in flight (Linux's driver asserts the
 * same). Anything else is counted and dropped without freeing a descriptor.
 */
final class Vmxnet3TxQueue {
    private final int size;
    private final MemorySegment ring;
    private final MemorySegment completions;
    private final MemorySegment buffers;
    private final long buffersDeviceAddress;
    private final Vmxnet3Counters counters;
    /** Next descriptor we write, and the generation it gets. */
    private int next2fill;
    private int fillGen = INITIAL_GEN;
    /** Oldest descriptor the device has not completed; {@code inFlight} descriptors from there. */
    private int next2complete;
    private int inFlight;
    /** Next completion entry we read, and the generation that says the device wrote it. */
    private int completionNext;
    private int completionGen = INITIAL_GEN;

    /**
     * @param ring zeroed, {@code size} entries; {@code completions} zeroed, {@code size} entries;
     *             {@code buffers} {@code size} buffers whose first byte the device sees at
     *             {@code buffersDeviceAddress}
     */
    Vmxnet3TxQueue(int size, MemorySegment ring, MemorySegment completions, MemorySegment buffers,
                   long buffersDeviceAddress, Vmxnet3Counters counters) {
        this.size = size;
        this.ring = ring;
        this.completions = completions;
        this.buffers = buffers;
        this.buffersDeviceAddress = buffersDeviceAddress;
        this.counters = counters;
    }

    int size() {
        return size;
    }

    int inFlight() {
        return inFlight;
    }

    boolean isFull() {
        return inFlight == size;
    }

    /** The producer index the device is told in TXPROD: the next descriptor we will fill. */
    int producerIndex() {
        return next2fill;
    }

    /**
     * Copies {@code frame} into the next descriptor's buffer and hands the descriptor to the
     * device. The caller has checked {@link #isFull()} and the frame's length.
     */
    void post(MemorySegment frame) {
        int slot = next2fill;
        long bytes = frame.byteSize();
        long bufferOffset = (long) slot * Vmxnet3NetDevice.BUFFER_BYTES;
        MemorySegment.copy(frame, 0, buffers, bufferOffset, bytes);
        long entry = (long) slot * ENTRY_BYTES;
        LittleEndianMemory.putI64(ring, entry + ADDRESS_OFFSET, buffersDeviceAddress + bufferOffset);
        // One descriptor is the whole packet: EOP; ask for a completion (CQ); no offload (om 0).
        LittleEndianMemory.putI32(ring, entry + WORD3_OFFSET, TXD_EOP | TXD_CQ);
        // Ordering point: the gen bit turns the descriptor over to the device, so it is written
        // last, with release semantics: the device must not see our gen before the buffer, the
        // address and word 3 (it re-reads the whole descriptor after seeing the gen, QEMU's
        // vmxnet3_pop_next_tx_descr). The doorbell that follows is a volatile store (also release).
        LittleEndianMemory.putI32Release(ring, entry + WORD2_OFFSET, (int) bytes | (fillGen << TXD_GEN_SHIFT));
        if (++next2fill == size) {
            next2fill = 0;
            fillGen ^= 1; // the next lap of the ring carries the other generation
        }
        inFlight++;
    }

    /**
     * Takes back the descriptors the device has completed; reads at most one lap of the
     * completion ring, so a device that keeps writing cannot hold the caller.
     *
     * @return descriptors freed
     */
    int reclaim() {
        int freed = 0;
        for (int examined = 0; examined < size; examined++) {
            long entry = (long) completionNext * ENTRY_BYTES;
            // Ordering point: acquire-read the word holding the gen bit first; only if the
            // device wrote this entry in the current lap are its other words read (after it).
            int word3 = LittleEndianMemory.getI32Acquire(completions, entry + WORD3_OFFSET);
            if (completionGen(word3) != completionGen) {
                break; // not written yet this lap: no more completions
            }
            int index = LittleEndianMemory.getI32(completions, entry) & COMP_INDEX_MASK;
            if (++completionNext == size) {
                completionNext = 0;
                completionGen ^= 1;
            }
            if (inFlight == 0 || index != next2complete) {
                counters.txMalformedIndex.increment(); // duplicate, out of order, never posted or beyond the ring
                continue;
            }
            next2complete = next2complete + 1 == size ? 0 : next2complete + 1;
            inFlight--;
            freed++;
        }
        if (freed > 0) {
            counters.txCompleted.add(freed);
        }
        return freed;
    }
}
