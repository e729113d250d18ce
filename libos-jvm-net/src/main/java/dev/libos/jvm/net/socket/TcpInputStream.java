package dev.libos.jvm.net.socket;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.LongSupplier;

/** A socket's input: blocking reads with the impl's SO_TIMEOUT, read at each call. */
final class TcpInputStream extends InputStream {
    private final TcpSocket socket;
    private final LongSupplier timeoutNanos;

    TcpInputStream(TcpSocket socket, LongSupplier timeoutNanos) {
        this.socket = socket;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        try {
            return BlockingSockets.read(socket, ByteBuffer.wrap(b, off, len), timeoutNanos.getAsLong());
        } catch (InterruptedIOException e) {
            throw e; // SocketTimeoutException included: the socket stays usable
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
    }

    @Override
    public int available() throws IOException {
        return available(socket);
    }

    /**
     * Bytes readable without blocking: those of the first contiguous region the stack holds (a
     * lower bound, as {@link InputStream#available} allows), 0 at end of stream.
     */
    static int available(TcpSocket socket) throws IOException {
        int[] size = new int[1];
        try {
            socket.readInPlace(received -> {
                size[0] = (int) Math.min(Integer.MAX_VALUE, received.byteSize());
                return 0; // look only
            });
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
        return size[0];
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
