package dev.libos.net.local;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayDeque;

/** A local listening socket with a bounded accept queue. */
final class LocalTcpServerSocket extends LocalEndpoint implements TcpServerSocket {
    private final LocalNetwork network;
    private final ArrayDeque<LocalTcpSocket> pending = new ArrayDeque<>();
    private int backlog;

    LocalTcpServerSocket(LocalNetwork network) {
        super(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
                StandardSocketOptions.IP_TOS);
        this.network = network;
    }

    @Override
    public void bind(InetSocketAddress localAddress, int backlog) throws IOException {
        ensureOpen();
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
        synchronized (this) {
            this.backlog = backlog;
        }
        local = network.listen(this, localAddress);
    }

    /** Queues the server end of a new connection; false when the backlog is full. */
    boolean offer(LocalTcpSocket serverEnd) {
        synchronized (this) {
            if (!isOpen() || pending.size() >= backlog) {
                return false;
            }
            pending.addLast(serverEnd);
        }
        signal();
        return true;
    }

    @Override
    public TcpSocket accept() throws IOException {
        ensureOpen();
        synchronized (this) {
            return pending.pollFirst();
        }
    }

    @Override
    public synchronized int readyOps() {
        return !pending.isEmpty() || !isOpen() ? Readiness.ACCEPT : 0;
    }

    @Override
    void onClose() {
        synchronized (this) {
            for (LocalTcpSocket s : pending) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing an in-memory socket cannot fail
                }
            }
            pending.clear();
        }
        network.unlisten(this);
    }
}
