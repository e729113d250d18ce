package dev.libos.jvm.net.socket;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/** A socket's output: each write blocks until the send buffer took all of it (no timeout, as in java.net). */
final class TcpOutputStream extends OutputStream {
    private final TcpSocket socket;

    TcpOutputStream(TcpSocket socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        try {
            BlockingSockets.writeFully(socket, ByteBuffer.wrap(b, off, len), 0);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
