package dev.libos.net.tcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * The bytes a connection has accepted from the application and not yet had acknowledged: a
 * ring whose offset 0 is the first unacknowledged data byte. The array is allocated on first
 * write and dropped by {@link #release()}, so idle and half-open connections hold no buffer.
 */
final class SendBuffer {
    private int capacity;
    private byte[] data;
    private int head;
    private int length;
    /** A segment over {@link #data}, made again when the array changes. */
    private MemorySegment view;
    private byte[] viewArray;

    SendBuffer(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** Changes the capacity to {@code bytes} (at least the bytes queued), keeping the queued bytes. */
    void resize(int bytes) {
        if (bytes < length || bytes < 1) {
            throw new IllegalArgumentException("cannot resize to " + bytes + " with " + length + " bytes queued");
        }
        if (data != null) {
            byte[] moved = new byte[bytes];
            int first = Math.min(length, capacity - head);
            System.arraycopy(data, head, moved, 0, first);
            System.arraycopy(data, 0, moved, first, length - first);
            data = moved;
            head = 0;
        }
        capacity = bytes;
    }

    /** Bytes queued (unacknowledged, sent or not). */
    int length() {
        return length;
    }

    /** Room for more bytes. */
    int free() {
        return capacity - length;
    }

    /** Copies as much of {@code source} as fits; returns the bytes taken. */
    int write(MemorySegment source) {
        int n = (int) Math.min(source.byteSize(), free());
        if (n == 0) {
            return 0;
        }
        if (data == null) {
            data = new byte[capacity];
        }
        int tail = (head + length) % capacity;
        int first = Math.min(n, capacity - tail);
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, 0, data, tail, first);
        if (n > first) {
            MemorySegment.copy(source, ValueLayout.JAVA_BYTE, first, data, 0, n - first);
        }
        length += n;
        return n;
    }

    /**
     * Appends up to {@link #free()} bytes from {@code source}'s position, which it leaves where
     * it was (absolute gets: no segment view, so nothing is allocated); returns the count.
     */
    int write(ByteBuffer source) {
        int n = Math.min(source.remaining(), free());
        if (n == 0) {
            return 0;
        }
        if (data == null) {
            data = new byte[capacity];
        }
        int tail = (head + length) % capacity;
        int first = Math.min(n, capacity - tail);
        source.get(source.position(), data, tail, first);
        if (n > first) {
            source.get(source.position() + first, data, 0, n - first);
        }
        length += n;
        return n;
    }

    /**
     * The free space that lies contiguously in the ring after the queued bytes (up to the ring's
     * end), at most {@code max} bytes: a view the caller fills and then {@link #commit}s.
     */
    MemorySegment writableView(int max) {
        int n = Math.min(max, free());
        if (n <= 0) {
            return MemorySegment.NULL.reinterpret(0);
        }
        if (data == null) {
            data = new byte[capacity];
        }
        int tail = (head + length) % capacity;
        return MemorySegment.ofArray(data).asSlice(tail, Math.min(n, capacity - tail));
    }

    /** Queues {@code n} bytes written into {@link #writableView}. */
    void commit(int n) {
        if (n < 0 || n > free()) {
            throw new IllegalArgumentException("cannot commit " + n + " bytes with " + free() + " free");
        }
        length += n;
    }

    /** Copies {@code count} bytes starting {@code offset} bytes after the first unacknowledged one. */
    void copyOut(int offset, MemorySegment target, int count) {
        if (offset < 0 || count < 0 || offset + count > length) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + count) + ") outside " + length);
        }
        int start = (head + offset) % capacity;
        int first = Math.min(count, capacity - start);
        MemorySegment.copy(data, start, target, ValueLayout.JAVA_BYTE, 0, first);
        if (count > first) {
            MemorySegment.copy(data, 0, target, ValueLayout.JAVA_BYTE, first, count - first);
        }
    }

    /**
     * Where the {@code count} bytes starting {@code offset} bytes after the first unacknowledged
     * one lie in {@link #ring()} when they are contiguous there (so they can be sent from the ring
     * itself, without a copy or a slice), or -1 when they wrap ({@link #copyOut} them).
     */
    int contiguousStart(int offset, int count) {
        if (offset < 0 || count < 0 || offset + count > length) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + count) + ") outside " + length);
        }
        int start = (head + offset) % capacity;
        return count > capacity - start ? -1 : start;
    }

    /** The whole ring, valid until the buffer next changes (resize, release). */
    MemorySegment ring() {
        if (viewArray != data) {
            viewArray = data;
            view = data == null ? MemorySegment.NULL.reinterpret(0) : MemorySegment.ofArray(data);
        }
        return view;
    }

    /** Drops {@code count} acknowledged bytes from the front. */
    void consume(int count) {
        if (count < 0 || count > length) {
            throw new IllegalArgumentException("consume " + count + " of " + length);
        }
        head = (head + count) % capacity;
        length -= count;
        if (length == 0) {
            head = 0;
        }
    }

    /** True while the ring's array is allocated. */
    boolean allocated() {
        return data != null;
    }

    /** Frees the array and forgets the contents. */
    void release() {
        data = null;
        head = 0;
        length = 0;
    }
}
