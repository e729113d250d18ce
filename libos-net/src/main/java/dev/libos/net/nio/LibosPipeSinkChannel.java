package dev.libos.net.nio;

import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/** The writing end of a {@link LibosPipe}; closing it is the reader's end of stream. */
final class LibosPipeSinkChannel extends Pipe.SinkChannel implements LibosChannel {
    private final TcpSocket socket;
    private final ChannelEndpoint endpoint;
    private final ReentrantLock writeLock = new ReentrantLock();

    LibosPipeSinkChannel(SelectorProvider provider, TcpSocket socket) {
        super(provider);
        this.socket = socket;
        this.endpoint = new ChannelEndpoint(this, socket);
    }

    @Override
    public ReadinessHub readiness() {
        return endpoint.readiness();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {Objects.requireNonNull(src, "src")}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Writes what fits (non-blocking) or everything (blocking). */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        StreamTransfer.checkBounds(srcs, offset, length);
        writeLock.lock();
        try {
            endpoint.ensureOpen();
            if (!isBlocking()) {
                return StreamTransfer.write(socket, srcs, offset, length);
            }
            boolean completed = false;
            try {
                begin();
                long written = StreamTransfer.writeFully(socket, endpoint.readiness(), srcs, offset, length);
                completed = true;
                return written;
            } finally {
                end(completed);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        endpoint.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // the mode is kept by AbstractSelectableChannel and read through isBlocking()
    }
}
