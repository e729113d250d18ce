package dev.libos.net.tcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Received bytes awaiting the application, with out-of-order reassembly. Positions are stream
 * offsets (bytes since the first data byte, as longs); {@code contiguousEnd} corresponds to
 * RCV.NXT. Out-of-order data is written straight into the ring at its place and remembered as
 * at most {@code maxRanges} disjoint ranges; a segment that would need one more is refused.
 * The window (free space past RCV.NXT) therefore bounds all buffered bytes, in order or not.
 */
final class ReceiveBuffer {
    private int capacity;
    private final int maxRanges;
    private final long[] rangeStart;
    private final long[] rangeEnd;
    private int rangeCount;
    private byte[] data;
    private long readOffset;
    private long contiguousEnd;
    private long recentStart = -1;

    ReceiveBuffer(int capacity, int maxRanges) {
        this.capacity = capacity;
        this.maxRanges = maxRanges;
        this.rangeStart = new long[maxRanges + 1];
        this.rangeEnd = new long[maxRanges + 1];
    }

    int capacity() {
        return capacity;
    }

    /** Bytes from the read position to the end of the highest data held, in order or not. */
    long heldSpan() {
        long end = rangeCount > 0 ? Math.max(contiguousEnd, rangeEnd[rangeCount - 1]) : contiguousEnd;
        return end - readOffset;
    }

    /**
     * Changes the capacity to {@code bytes}, at least {@link #heldSpan()}: every held byte keeps
     * its stream offset and moves to its place in the new ring.
     */
    void resize(int bytes) {
        long span = heldSpan();
        if (bytes < span || bytes < 1) {
            throw new IllegalArgumentException("cannot resize to " + bytes + " holding " + span + " bytes");
        }
        if (data != null) {
            byte[] moved = new byte[bytes];
            for (long p = readOffset; p < readOffset + span; ) {
                int from = (int) (p % capacity);
                int to = (int) (p % bytes);
                int run = (int) Math.min(readOffset + span - p, Math.min(capacity - from, bytes - to));
                System.arraycopy(data, from, moved, to, run);
                p += run;
            }
            data = moved;
        }
        capacity = bytes;
    }

    /** Bytes ready to read. */
    int available() {
        return (int) (contiguousEnd - readOffset);
    }

    /** Free space past RCV.NXT: the window we can offer. */
    int window() {
        return capacity - available();
    }

    /** Out-of-order ranges held. */
    int rangeCount() {
        return rangeCount;
    }

    /** Start of range {@code i}, as an offset from RCV.NXT. */
    int rangeStartFromNext(int i) {
        return (int) (rangeStart[i] - contiguousEnd);
    }

    /** End of range {@code i}, as an offset from RCV.NXT. */
    int rangeEndFromNext(int i) {
        return (int) (rangeEnd[i] - contiguousEnd);
    }

    /** Index of the range holding the most recently received out-of-order bytes, or -1. */
    int recentRange() {
        for (int i = 0; i < rangeCount; i++) {
            if (rangeStart[i] <= recentStart && recentStart < rangeEnd[i]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Stores the {@code n} bytes of {@code source} at {@code sourceOffset} at {@code offsetFromNext}
     * bytes past RCV.NXT; the caller has trimmed them to the window ({@code offsetFromNext + n <= window()}).
     *
     * @return the bytes by which RCV.NXT advances (0 for out-of-order data), or -1 when the
     *     segment would exceed the out-of-order range limit and was not stored
     */
    int insert(int offsetFromNext, MemorySegment source, long sourceOffset, int n) {
        if (n == 0) {
            return 0;
        }
        long start = contiguousEnd + offsetFromNext;
        long end = start + n;
        if (offsetFromNext > 0 && !touchesRange(start, end) && rangeCount >= maxRanges) {
            return -1;
        }
        copyIn(start, source, sourceOffset, n);
        if (offsetFromNext > 0) {
            addRange(start, end);
            recentStart = start;
            return 0;
        }
        long before = contiguousEnd;
        contiguousEnd = Math.max(contiguousEnd, end);
        // Absorb the out-of-order ranges that are now contiguous.
        while (rangeCount > 0 && rangeStart[0] <= contiguousEnd) {
            contiguousEnd = Math.max(contiguousEnd, rangeEnd[0]);
            removeRange(0);
        }
        return (int) (contiguousEnd - before);
    }

    private boolean touchesRange(long start, long end) {
        for (int i = 0; i < rangeCount; i++) {
            if (start <= rangeEnd[i] && rangeStart[i] <= end) {
                return true;
            }
        }
        return false;
    }

    private void addRange(long start, long end) {
        int i = 0;
        while (i < rangeCount && rangeEnd[i] < start) {
            i++;
        }
        // Merge every range overlapping or adjacent to [start, end) into one at index i.
        long s = start;
        long e = end;
        while (i < rangeCount && rangeStart[i] <= e) {
            s = Math.min(s, rangeStart[i]);
            e = Math.max(e, rangeEnd[i]);
            removeRange(i);
        }
        System.arraycopy(rangeStart, i, rangeStart, i + 1, rangeCount - i);
        System.arraycopy(rangeEnd, i, rangeEnd, i + 1, rangeCount - i);
        rangeStart[i] = s;
        rangeEnd[i] = e;
        rangeCount++;
    }

    private void removeRange(int i) {
        System.arraycopy(rangeStart, i + 1, rangeStart, i, rangeCount - i - 1);
        System.arraycopy(rangeEnd, i + 1, rangeEnd, i, rangeCount - i - 1);
        rangeCount--;
    }

    private void copyIn(long streamOffset, MemorySegment source, long sourceOffset, int n) {
        if (data == null) {
            data = new byte[capacity];
        }
        int at = (int) (streamOffset % capacity);
        int first = Math.min(n, capacity - at);
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, sourceOffset, data, at, first);
        if (n > first) {
            MemorySegment.copy(source, ValueLayout.JAVA_BYTE, sourceOffset + first, data, 0, n - first);
        }
    }

    /** Copies up to {@code target}'s size of in-order bytes out; returns the count. */
    int read(MemorySegment target) {
        int n = (int) Math.min(target.byteSize(), available());
        if (n == 0) {
            return 0;
        }
        int at = (int) (readOffset % capacity);
        int first = Math.min(n, capacity - at);
        MemorySegment.copy(data, at, target, ValueLayout.JAVA_BYTE, 0, first);
        if (n > first) {
            MemorySegment.copy(data, 0, target, ValueLayout.JAVA_BYTE, first, n - first);
        }
        readOffset += n;
        return n;
    }

    /**
     * Copies up to {@code target}'s remaining bytes of in-order data to it from its position,
     * which it leaves where it was (absolute puts: no segment view, so nothing is allocated);
     * returns the count.
     */
    int read(ByteBuffer target) {
        int n = Math.min(target.remaining(), available());
        if (n == 0) {
            return 0;
        }
        int at = (int) (readOffset % capacity);
        int first = Math.min(n, capacity - at);
        target.put(target.position(), data, at, first);
        if (n > first) {
            target.put(target.position() + first, data, 0, n - first);
        }
        readOffset += n;
        return n;
    }

    /**
     * The in-order bytes that lie contiguously in the ring from the read position (up to the
     * ring's end): a view, valid until the next change to the buffer. Empty when none.
     */
    MemorySegment readableView() {
        int n = available();
        if (n == 0) {
            return MemorySegment.NULL.reinterpret(0);
        }
        int at = (int) (readOffset % capacity);
        return MemorySegment.ofArray(data).asSlice(at, Math.min(n, capacity - at));
    }

    /** Marks {@code n} bytes of {@link #readableView()} as read. */
    void consume(int n) {
        if (n < 0 || n > available()) {
            throw new IllegalArgumentException("cannot consume " + n + " of " + available() + " bytes");
        }
        readOffset += n;
    }

    /** Discards every in-order byte (after the application closed). */
    void discardAvailable() {
        readOffset = contiguousEnd;
    }

    /** True while the ring's array is allocated. */
    boolean allocated() {
        return data != null;
    }

    /** Frees the array. */
    void release() {
        data = null;
        rangeCount = 0;
        readOffset = contiguousEnd;
    }
}
