package dev.libos.net.local;

import java.nio.ByteBuffer;

/**
 * One direction of a local stream: a bounded byte ring with end-of-stream. Guarded by the
 * monitor of the ring (short, non-blocking sections: a libos thread never parks inside).
 */
final class ByteRing {
    private final byte[] bytes;
    private int head;
    private int size;
    private boolean finished;

    ByteRing(int capacity) {
        this.bytes = new byte[capacity];
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

    /** No more bytes will be put (the writer's FIN). */
    synchronized void finish() {
        finished = true;
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
