package dev.libos.net.nio;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ServerSocketChannel} over a libos {@link TcpServerSocket}. Accepted channels start in
 * blocking mode, as the JDK's do.
 */
public final class LibosServerSocketChannel extends ServerSocketChannel implements LibosChannel {
    /** The backlog used when bind is given 0 or less. */
    static final int DEFAULT_BACKLOG = 50;

    private final TcpServerSocket server;
    private final ChannelEndpoint endpoint;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private ServerSocket adaptor;

    LibosServerSocketChannel(SelectorProvider provider, TcpServerSocket server) {
        super(provider);
        this.server = server;
        this.endpoint = new ChannelEndpoint(this, server);
    }

    @Override
    public ReadinessHub readiness() {
        return endpoint.readiness();
    }

    /** @param backlog 0 or less: {@value #DEFAULT_BACKLOG} */
    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        InetSocketAddress address = local == null ? new InetSocketAddress(0) : LibosSocketChannel.inet(local);
        synchronized (stateLock) {
            endpoint.ensureOpen();
            if (server.localAddress() != null) {
                throw new AlreadyBoundException();
            }
            server.bind(address, backlog < 1 ? DEFAULT_BACKLOG : backlog);
        }
        return this;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        endpoint.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return endpoint.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return endpoint.supportedOptions();
    }

    /** A minimal {@link ServerSocket} view (bind, address, accept in blocking mode, options). */
    @Override
    public synchronized ServerSocket socket() {
        if (adaptor == null) {
            adaptor = new ServerSocketAdaptor(this);
        }
        return adaptor;
    }

    boolean isBound() {
        return server.localAddress() != null;
    }

    @Override
    public SocketChannel accept() throws IOException {
        acceptLock.lock();
        try {
            endpoint.ensureOpen();
            if (!isBound()) {
                throw new NotYetBoundException();
            }
            if (!isBlocking()) {
                return wrap(server.accept());
            }
            boolean completed = false;
            try {
                begin();
                TcpSocket accepted;
                while ((accepted = server.accept()) == null) {
                    endpoint.readiness().await(Readiness.ACCEPT);
                }
                completed = true;
                return wrap(accepted);
            } finally {
                end(completed);
            }
        } finally {
            acceptLock.unlock();
        }
    }

    private SocketChannel wrap(TcpSocket accepted) {
        return accepted == null ? null : new LibosSocketChannel(provider(), accepted, true);
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        endpoint.ensureOpen();
        return server.localAddress();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        endpoint.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // the mode is kept by AbstractSelectableChannel and read through isBlocking()
    }

    @Override
    public String toString() {
        return "LibosServerSocketChannel[" + (isOpen() ? String.valueOf(server.localAddress()) : "closed") + "]";
    }
}
