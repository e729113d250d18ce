package dev.libos.net.nio;

import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/** The reading end of a {@link LibosPipe}. */
final class LibosPipeSourceChannel extends Pipe.SourceChannel implements LibosChannel {
    private final TcpSocket socket;
    private final ChannelEndpoint endpoint;
    private final ReentrantLock readLock = new ReentrantLock();

    LibosPipeSourceChannel(SelectorProvider provider, TcpSocket socket) {
        super(provider);
        this.socket = socket;
        this.endpoint = new ChannelEndpoint(this, socket);
    }

    @Override
    public ReadinessHub readiness() {
        return endpoint.readiness();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) read(new ByteBuffer[] {Objects.requireNonNull(dst, "dst")}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        StreamTransfer.checkBounds(dsts, offset, length);
        readLock.lock();
        try {
            endpoint.ensureOpen();
            if (!isBlocking()) {
                return StreamTransfer.read(socket, dsts, offset, length);
            }
            boolean completed = false;
            try {
                begin();
                long n = StreamTransfer.readWaiting(socket, endpoint.readiness(), dsts, offset, length);
                completed = true;
                return n;
            } finally {
                end(completed);
            }
        } finally {
            readLock.unlock();
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
