package dev.libos.net.local;

import java.nio.ByteBuffer;

/**
 * One direction of a local stream: a bounded byte ring with end-of-stream. Guarded by the
 * monitor of the ring (short, non-blocking sections: a libos thread never parks inside).
 */
final class ByteRing {
    private byte[] bytes;
    private int head;
    private int size;
    private boolean finished;

    ByteRing(int capacity) {
        this.bytes = new byte[capacity];
    }

    synchronized int capacity() {
        return bytes.length;
    }

    /** Changes the capacity (SO_SNDBUF, SO_RCVBUF), never below the bytes held; returns it. */
    synchronized int resize(int capacity) {
        int n = Math.max(capacity, size);
        byte[] moved = new byte[n];
        int first = Math.min(size, bytes.length - head);
        System.arraycopy(bytes, head, moved, 0, first);
        System.arraycopy(bytes, 0, moved, first, size - first);
        bytes = moved;
        head = 0;
        return n;
    }

    /** Copies as much of {@code src} as fits; returns the count. */
    synchronized int put(ByteBuffer src) {
        int n = Math.min(src.remaining(), bytes.length - size);
        int tail = (head + size) % bytes.length;
        int first = Math.min(n, bytes.length - tail);
        src.get(bytes, tail, first);
        src.get(bytes, 0, n - first);
        size += n;
        return n;
    }

    /** Copies out as much as {@code dst} takes; returns the count, or -1 at end of stream. */
    synchronized int take(ByteBuffer dst) {
        if (size == 0) {
            return finished ? -1 : 0;
        }
        int n = Math.min(dst.remaining(), size);
        int first = Math.min(n, bytes.length - head);
        dst.put(bytes, head, first);
        dst.put(bytes, 0, n - first);
        head = (head + n) % bytes.length;
        size -= n;
        return n;
    }

    /** Lets {@code reader} use the readable bytes in place (one contiguous region); -1 at end, 0 empty. */
    synchronized int takeInPlace(dev.libos.api.net.TcpSocket.InPlaceReader reader) {
        if (size == 0) {
            return finished ? -1 : 0;
        }
        int n = Math.min(size, bytes.length - head);
        int used = reader.read(java.lang.foreign.MemorySegment.ofArray(bytes).asSlice(head, n));
        if (used < 0 || used > n) {
            throw new IllegalArgumentException("reader reported " + used + " bytes of a " + n + "-byte view");
        }
        head = (head + used) % bytes.length;
        size -= used;
        return used;
    }

    /** Lets {@code writer} fill free space in place (one contiguous region, at most {@code max}). */
    synchronized int putInPlace(int max, dev.libos.api.net.TcpSocket.InPlaceWriter writer) {
        int tail = (head + size) % bytes.length;
        int n = Math.min(max, Math.min(bytes.length - size, bytes.length - tail));
        if (n <= 0) {
            return 0;
        }
        int written = writer.write(java.lang.foreign.MemorySegment.ofArray(bytes).asSlice(tail, n));
        if (written < 0 || written > n) {
            throw new IllegalArgumentException("writer reported " + written + " bytes of a " + n + "-byte view");
        }
        size += written;
        return written;
    }

    /** No more bytes will be put (the writer's FIN). */
    synchronized void finish() {
        finished = true;
    }

    /** Bytes are waiting to be read. */
    synchronized boolean hasUnread() {
        return size > 0;
    }

    synchronized boolean readable() {
        return size > 0 || finished;
    }

    synchronized boolean writable() {
        return size < bytes.length && !finished;
    }

    synchronized boolean finished() {
        return finished;
    }
}
