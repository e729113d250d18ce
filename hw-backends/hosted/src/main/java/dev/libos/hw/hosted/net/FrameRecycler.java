package dev.libos.hw.hosted.net;


/**
 * The frame buffers of the devices of one {@link MemoryLink} or {@link MemorySwitch}, handed
 * back after delivery and taken again by the next transmit of a frame of the same length, as a
 * NIC reuses the buffers of its rings.
 *
 * <p>Why: a fresh array per frame made the sender zero (and, on a host that had not touched that
 * part of the heap yet, page-fault in) a whole frame before copying into it. With the 64 KiB MTU
 * of the net suite's loopback-like link that was most of the time of a 64 KiB stream write:
 * profiled in issue 11 (perf: {@code exc_page_fault} under the array's memset in
 * {@link MemoryNetDevice#transmit}), 100-700 us per write until the heap was warm.
 *
 * <p>A frame is given back only once its receiver is done with it
 * ({@link dev.libos.api.device.NetDevice#receive}: a frame is valid only during the sink's call);
 * a frame lost on the wire or refused by a full queue is simply not given back. Frames shorter
 * than {@value #MIN_RECYCLED_BYTES} bytes (ACKs, small requests) are not recycled: allocating
 * them is cheap, and they would only crowd the slots.
 *
 * <p>The monitor orders the receiver's last read of a buffer before the sender's next write into
 * it. A monitor rather than compare-and-set slots, for the replacement rule: when the slots are full, the next buffer given back replaces the
 * slots in turn, so the pool follows the lengths in use. A version with compare-and-set slots
 * whose full pool replaced one slot per length kept too few full-size buffers once odd lengths
 * (the rest of a write after whole segments) had filled it: three times the page faults and a
 * third of the stream's throughput (measured, issue 11).
 */
final class FrameRecycler {
    /** Buffers kept at most: a window of full-size frames in flight each way, and odd lengths. */
    static final int DEFAULT_CAPACITY = 64;
    /** Shorter frames are allocated each time (cheap, from the thread's allocation buffer). */
    static final int MIN_RECYCLED_BYTES = 256;

    private final byte[][] free;
    private int count;
    /** Where the next buffer goes when all slots are taken. */
    private int replaceNext;

    FrameRecycler(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.free = new byte[capacity][];
    }

    /**
     * A buffer of exactly {@code length} bytes, recycled when one is free, else new. A recycled
     * buffer still holds an old frame: the caller overwrites what it uses and clears the rest.
     */
    byte[] take(int length) {
        if (length >= MIN_RECYCLED_BYTES) {
            synchronized (this) {
                for (int i = count - 1; i >= 0; i--) {
                    byte[] buffer = free[i];
                    if (buffer.length == length) {
                        free[i] = free[--count];
                        free[count] = null;
                        return buffer;
                    }
                }
            }
        }
        return new byte[length];
    }

    /** Gives back a buffer whose frame was delivered; its receiver no longer reads it. */
    void give(byte[] buffer) {
        if (buffer.length < MIN_RECYCLED_BYTES) {
            return;
        }
        synchronized (this) {
            if (count < free.length) {
                free[count++] = buffer;
                return;
            }
            // Full: the lengths in use changed (another MSS, another traffic mix); make room in turn.
            free[replaceNext] = buffer;
            replaceNext = (replaceNext + 1) % free.length;
        }
    }

    /** Buffers held now (for tests). */
    synchronized int size() {
        return count;
    }
}
