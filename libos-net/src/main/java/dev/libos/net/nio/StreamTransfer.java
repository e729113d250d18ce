package dev.libos.net.nio;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Scatter/gather over a {@link TcpSocket}: what every stream channel's read and write do, once
 * (non-blocking) or waiting on the channel's readiness (blocking).
 */
final class StreamTransfer {
    private StreamTransfer() {
    }

    /**
     * Reads into the buffers in order until one is left with room (the socket ran dry).
     *
     * @return bytes read; 0 when none were available; -1 at end of stream with nothing read
     */
    static long read(TcpSocket socket, ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer dst = dsts[i];
            if (!dst.hasRemaining()) {
                continue;
            }
            int n = socket.read(dst);
            if (n < 0) {
                return total > 0 ? total : -1;
            }
            total += n;
            if (dst.hasRemaining()) {
                break;
            }
        }
        return total;
    }

    /**
     * Writes from the buffers in order until the socket takes no more; returns the bytes written.
     * Several buffers go into the send buffer in one in-place write, as Linux's writev does: one
     * call, so one segment for a small header and body instead of one per buffer (with
     * TCP_NODELAY each call sends at once; issue 10 found Jetty's responses took two segments).
     */
    static long write(TcpSocket socket, ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        long left;
        while ((left = remaining(srcs, offset, length)) > 0) {
            int n = socket.writeInPlace((int) Math.min(left, Integer.MAX_VALUE),
                    space -> gather(srcs, offset, length, space));
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Copies from the buffers, in order, into the start of {@code space}; returns the bytes copied. */
    private static int gather(ByteBuffer[] srcs, int offset, int length, MemorySegment space) {
        long at = 0;
        for (int i = offset; i < offset + length && at < space.byteSize(); i++) {
            ByteBuffer src = srcs[i];
            int n = (int) Math.min(src.remaining(), space.byteSize() - at);
            if (n > 0) {
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, space, at, n);
                src.position(src.position() + n);
                at += n;
            }
        }
        return (int) at;
    }

    private static long remaining(ByteBuffer[] buffers, int offset, int length) {
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += buffers[i].remaining();
        }
        return sum;
    }

    /**
     * Reads in blocking mode: parks on {@code readiness} until something was read, the stream
     * ended, or the buffers have no room.
     *
     * @return as {@link #read}, but 0 only when the buffers have no room
     */
    static long readWaiting(TcpSocket socket, ReadinessHub readiness, ByteBuffer[] dsts, int offset, int length)
            throws IOException {
        long n;
        while ((n = read(socket, dsts, offset, length)) == 0 && hasRemaining(dsts, offset, length)) {
            readiness.await(Readiness.READ);
        }
        return n;
    }

    /** Writes in blocking mode: every byte, parking on {@code readiness} while the socket is full. */
    static long writeFully(TcpSocket socket, ReadinessHub readiness, ByteBuffer[] srcs, int offset, int length)
            throws IOException {
        long total = 0;
        while (true) {
            total += write(socket, srcs, offset, length);
            if (!hasRemaining(srcs, offset, length)) {
                return total;
            }
            readiness.await(Readiness.WRITE);
        }
    }

    static boolean hasRemaining(ByteBuffer[] buffers, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Checks the sub-array bounds the way the JDK's channels do. */
    static void checkBounds(ByteBuffer[] buffers, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffers.length);
        for (int i = offset; i < offset + length; i++) {
            Objects.requireNonNull(buffers[i], "buffer");
        }
    }
}
