package dev.libos.hw.vmxnet3;

import dev.libos.hw.pci.LittleEndianMemory;
import static dev.libos.hw.vmxnet3.Vmxnet3RingLayout.*;

import dev.libos.api.device.NetDevice.FrameSink;
import java.lang.foreign.MemorySegment;

/**
 * The driver side of one vmxnet3 receive queue: rx ring 1 (we produce empty buffers, the device
 * consumes them), rx ring 2 (left empty: it only carries the bodies of frames that span
 * buffers, and {@code maxNumRxSG} = 1 says none do), and the completion ring (the device
 * produces, we consume). Buffer {@code i} is always at ring-1 descriptor {@code i}, every
 * descriptor always holds a buffer except while its frame is being delivered. Single-threaded.
 *
 * <p>The device takes ring-1 descriptors strictly in order and completes each with one entry
 * (sop and eop both set, {@code rqID} 0 for ring 1 of queue 0), so the only believable
 * completion names the oldest posted descriptor. Anything else is counted and dropped without
 * touching a buffer; a completion that names the right descriptor but is otherwise wrong (bad
 * length, not a whole frame, device error) re-posts the buffer without delivering it.
 */
final class Vmxnet3RxQueue {
    private static final int ETHERNET_HEADER = 14;
    private final int size;
    private final int completionSize;
    private final MemorySegment ring;
    private final MemorySegment completions;
    private final MemorySegment buffers;
    private final long buffersDeviceAddress;
    private final Vmxnet3Counters counters;
    private int next2fill;
    private int fillGen = INITIAL_GEN;
    private int next2complete;
    private int posted;
    private int completionNext;
    private int completionGen = INITIAL_GEN;
    /** Buffers re-posted since {@link #takeReposted()} last asked. */
    private int reposted;

    /**
     * @param ring zeroed ring 1 of {@code size} entries; {@code completions} zeroed, {@code completionSize}
     *             entries; {@code buffers} {@code size} buffers the device sees at {@code buffersDeviceAddress}
     */
    Vmxnet3RxQueue(int size, int completionSize, MemorySegment ring, MemorySegment completions, MemorySegment buffers,
                   long buffersDeviceAddress, Vmxnet3Counters counters) {
        this.size = size;
        this.completionSize = completionSize;
        this.ring = ring;
        this.completions = completions;
        this.buffers = buffers;
        this.buffersDeviceAddress = buffersDeviceAddress;
        this.counters = counters;
    }

    /** Gives every descriptor of ring 1 a buffer (before activation: the ring starts full). */
    void fill() {
        while (posted < size) {
            postNext();
        }
    }

    int posted() {
        return posted;
    }

    /** The producer index for RXPROD: the next ring-1 descriptor we will fill. */
    int producerIndex() {
        return next2fill;
    }

    private void postNext() {
        int slot = next2fill;
        long entry = (long) slot * ENTRY_BYTES;
        LittleEndianMemory.putI64(ring, entry + ADDRESS_OFFSET, buffersDeviceAddress + (long) slot * Vmxnet3NetDevice.BUFFER_BYTES);
        // Ordering point: word 2 carries the gen bit (bit 31) with the length and btype HEAD
        // (0); it is stored last with release semantics, so the device sees the address before
        // it sees the descriptor as its own.
        LittleEndianMemory.putI32Release(ring, entry + WORD2_OFFSET, Vmxnet3NetDevice.BUFFER_BYTES | (fillGen << RXD_GEN_SHIFT));
        if (++next2fill == size) {
            next2fill = 0;
            fillGen ^= 1;
        }
        posted++;
    }

    /**
     * Hands up to {@code budget} received frames to {@code sink} and re-posts every buffer it
     * takes back; reads at most one lap of the completion ring.
     *
     * @return frames delivered
     */
    int drain(FrameSink sink, int budget) {
        int delivered = 0;
        for (int examined = 0; examined < completionSize && delivered < budget; examined++) {
            long entry = (long) completionNext * ENTRY_BYTES;
            // Ordering point: acquire-read the gen word first; the other words only after it.
            int word3 = LittleEndianMemory.getI32Acquire(completions, entry + WORD3_OFFSET);
            if (completionGen(word3) != completionGen) {
                break;
            }
            int word0 = LittleEndianMemory.getI32(completions, entry);
            int word2 = LittleEndianMemory.getI32(completions, entry + WORD2_OFFSET);
            if (++completionNext == completionSize) {
                completionNext = 0;
                completionGen ^= 1;
            }
            if (((word0 >>> RCD_RQID_SHIFT) & RCD_RQID_MASK) != 0) {
                counters.rxMalformedShape.increment(); // ring 2 or another queue: we posted nothing there
                continue;
            }
            int index = word0 & COMP_INDEX_MASK;
            if (posted == 0 || index != next2complete) {
                counters.rxMalformedIndex.increment();
                continue;
            }
            // The device has consumed this descriptor: whatever the completion says, the buffer
            // is ours again and goes back to the device below.
            next2complete = next2complete + 1 == size ? 0 : next2complete + 1;
            posted--;
            try {
                if (deliver(sink, index, word0, word2)) {
                    delivered++;
                }
            } finally {
                postNext();
                reposted++;
            }
        }
        return delivered;
    }

    /** How many buffers were re-posted since the last call (the caller may have to tell the device). */
    int takeReposted() {
        int count = reposted;
        reposted = 0;
        return count;
    }

    private boolean deliver(FrameSink sink, int index, int word0, int word2) {
        if ((word0 & (RCD_SOP | RCD_EOP)) != (RCD_SOP | RCD_EOP)) {
            counters.rxMalformedShape.increment(); // a fragment: we allowed one buffer per frame
            return false;
        }
        if ((word2 & RCD_ERR) != 0) {
            counters.rxErrors.increment(); // the device could not fit the frame (QEMU: more than maxNumRxSG buffers)
            return false;
        }
        int length = word2 & LEN_MASK;
        if (length < ETHERNET_HEADER || length > Vmxnet3NetDevice.BUFFER_BYTES) {
            counters.rxMalformedLength.increment();
            return false;
        }
        counters.rxFrames.increment();
        counters.rxBytes.add(length);
        // The frame is valid only during onFrame: the buffer is re-posted right after.
        sink.onFrame(buffers.asSlice((long) index * Vmxnet3NetDevice.BUFFER_BYTES, length));
        return true;
    }
}
