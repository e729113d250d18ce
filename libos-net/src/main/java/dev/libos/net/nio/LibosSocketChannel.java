package dev.libos.net.nio;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SocketChannel} over a libos {@link TcpSocket}. Non-blocking calls map one to one onto
 * the socket; blocking calls park on the socket's readiness. One read and one write may be in
 * progress at a time (further callers wait on the read or write lock), as the NIO contract says.
 * A blocking write returns only when every byte is written.
 */
public final class LibosSocketChannel extends SocketChannel implements LibosChannel {
    private final TcpSocket socket;
    private final ChannelEndpoint endpoint;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guards the connect state changes below. */
    private final Object stateLock = new Object();
    private volatile boolean connectionPending;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private Socket adaptor;

    /**
     * @param connected true for a connection handed out by a server socket
     */
    LibosSocketChannel(SelectorProvider provider, TcpSocket socket, boolean connected) {
        super(provider);
        this.socket = socket;
        this.endpoint = new ChannelEndpoint(this, socket);
        assert connected == socket.isConnected();
    }

    @Override
    public ReadinessHub readiness() {
        return endpoint.readiness();
    }

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            endpoint.ensureOpen();
            if (socket.isConnected()) {
                throw new AlreadyConnectedException();
            }
            if (connectionPending) {
                throw new ConnectionPendingException();
            }
            if (socket.localAddress() != null) {
                throw new AlreadyBoundException();
            }
            socket.bind(local == null ? new InetSocketAddress(0) : inet(local));
        }
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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

    @Override
    public SocketChannel shutdownInput() throws IOException {
        endpoint.ensureOpen();
        ensureConnected();
        if (!inputShutdown) {
            socket.shutdownInput();
            inputShutdown = true;
        }
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        endpoint.ensureOpen();
        ensureConnected();
        if (!outputShutdown) {
            socket.shutdownOutput();
            outputShutdown = true;
        }
        return this;
    }

    /** A minimal {@link Socket} view (addresses, options, shutdown, streams in blocking mode). */
    @Override
    public synchronized Socket socket() {
        if (adaptor == null) {
            adaptor = SocketAdaptor.of(this);
        }
        return adaptor;
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isConnectionPending() {
        return connectionPending;
    }

    boolean isInputShutdown() {
        return inputShutdown;
    }

    boolean isOutputShutdown() {
        return outputShutdown;
    }

    /**
     * Connects. In blocking mode it waits for the handshake; in non-blocking mode it returns true
     * when the connection was made at once (a local network does that) and false while it is in
     * progress. A failed attempt closes the channel, as the JDK's channels do.
     */
    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        InetSocketAddress target = inet(remote);
        synchronized (stateLock) {
            endpoint.ensureOpen();
            if (socket.isConnected()) {
                throw new AlreadyConnectedException();
            }
            if (connectionPending) {
                throw new ConnectionPendingException();
            }
            try {
                socket.connect(target);
            } catch (IOException e) {
                close();
                throw e;
            }
            connectionPending = true;
        }
        return isBlocking() ? awaitConnected() : finishNow();
    }

    @Override
    public boolean finishConnect() throws IOException {
        synchronized (stateLock) {
            endpoint.ensureOpen();
            if (socket.isConnected() && !connectionPending) {
                return true;
            }
            if (!connectionPending) {
                throw new NoConnectionPendingException();
            }
        }
        return isBlocking() ? awaitConnected() : finishNow();
    }

    private boolean finishNow() throws IOException {
        try {
            return finishOnce();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Parks until the attempt ends; a failure closes the channel after the blocking section. */
    private boolean awaitConnected() throws IOException {
        IOException failure = null;
        boolean completed = false;
        try {
            begin();
            try {
                while (!finishOnce()) {
                    endpoint.readiness().await(Readiness.CONNECT);
                    endpoint.ensureOpen();
                }
            } catch (IOException e) {
                if (!isOpen()) {
                    throw e; // closed under us: end() reports the asynchronous close
                }
                failure = e;
            }
            completed = true;
        } finally {
            end(completed);
        }
        if (failure != null) {
            close();
            throw failure;
        }
        return true;
    }

    /** One look at the attempt; a failure ends it (the caller closes the channel). */
    private boolean finishOnce() throws IOException {
        synchronized (stateLock) {
            endpoint.ensureOpen();
            if (!connectionPending) {
                return socket.isConnected();
            }
            boolean done;
            try {
                done = socket.finishConnect();
            } catch (IOException e) {
                connectionPending = false;
                throw e;
            }
            if (done) {
                connectionPending = false;
            }
            return done;
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        endpoint.ensureOpen();
        return socket.isConnected() ? socket.remoteAddress() : null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        endpoint.ensureOpen();
        return socket.localAddress();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) read(new ByteBuffer[] {Objects.requireNonNull(dst, "dst")}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        StreamTransfer.checkBounds(dsts, offset, length);
        readLock.lock();
        try {
            endpoint.ensureOpen();
            ensureConnected();
            if (inputShutdown) {
                return -1;
            }
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
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {Objects.requireNonNull(src, "src")}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        StreamTransfer.checkBounds(srcs, offset, length);
        writeLock.lock();
        try {
            endpoint.ensureOpen();
            ensureConnected();
            if (outputShutdown) {
                throw new ClosedChannelException(); // as the JDK: writing after shutdownOutput
            }
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
        endpoint.close(); // blocked readers, writers and connecters look again and see the close
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // the mode is kept by AbstractSelectableChannel and read through isBlocking()
    }

    private void ensureConnected() {
        if (!socket.isConnected()) {
            throw new NotYetConnectedException();
        }
    }

    static InetSocketAddress inet(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof InetSocketAddress inet)) {
            throw new UnsupportedAddressTypeException();
        }
        if (inet.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return inet;
    }

    @Override
    public String toString() {
        return "LibosSocketChannel[" + (isOpen() ? "local=" + socket.localAddress() + " remote=" + socket.remoteAddress() : "closed") + "]";
    }
}
