package dev.libos.hw.hosted.net;

import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * <p>Lock-free, since sender and receiver are on different CPUs: a slot holds a free buffer or
 * null. Ordering: the receiver's last read of a buffer comes before its compare-and-set that
 * puts the buffer in a slot (a volatile write), and the sender's compare-and-set that takes it
 * (a volatile read of that write) comes before the sender's first write into it.
 */
final class FrameRecycler {
    /** Buffers kept at most: a window of full-size frames in flight each way. */
    static final int DEFAULT_CAPACITY = 32;
    /** Shorter frames are allocated each time (cheap, from the thread's allocation buffer). */
    static final int MIN_RECYCLED_BYTES = 256;

    private final AtomicReferenceArray<byte[]> slots;

    FrameRecycler(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /**
     * A buffer of exactly {@code length} bytes, recycled when one is free, else new. A recycled
     * buffer still holds an old frame: the caller overwrites what it uses and clears the rest.
     */
    byte[] take(int length) {
        if (length >= MIN_RECYCLED_BYTES) {
            for (int i = 0; i < slots.length(); i++) {
                byte[] buffer = slots.get(i);
                if (buffer != null && buffer.length == length && slots.compareAndSet(i, buffer, null)) {
                    return buffer;
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
        int start = (buffer.length * 31) & Integer.MAX_VALUE; // buffers of one length start in one place
        for (int k = 0; k < slots.length(); k++) {
            int i = (start + k) % slots.length();
            if (slots.get(i) == null && slots.compareAndSet(i, null, buffer)) {
                return;
            }
        }
        // All slots taken: the lengths in use changed (another MSS, another mix); the buffer at
        // this length's first slot gives way, so the pool follows the traffic.
        slots.set(start % slots.length(), buffer);
    }

    /** Buffers held now (for tests). */
    int size() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }
}
