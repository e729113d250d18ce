package dev.libos.net.socket;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpSocket;
import dev.libos.net.tcp.TcpCloseReason;
import dev.libos.net.tcp.TcpConnection;
import dev.libos.net.tcp.TcpState;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A TCP socket over a {@link TcpConnection} of the stack. */
final class StackTcpSocket extends StackEndpoint implements TcpSocket {
    private TcpConnection connection; // guarded by the stack lock
    private volatile InetSocketAddress remote;
    private boolean connectPending;
    private boolean outputShutdown;
    private boolean inputShutdown;
    private IOException connectFailure;
    private final TcpSocketSettings settings;
    /**
     * {@code connection != null && !connectPending}, written under the stack lock when either
     * changes and read without it: NIO channels ask on every read and write, and taking the one
     * stack lock for that made every call queue behind the pollers (issue 10, Jetty).
     */
    private volatile boolean connected;

    StackTcpSocket(StackNetwork network) {
        super(network);
        this.settings = new TcpSocketSettings(network.tcp().config());
    }

    /** A socket for a connection the listener accepted. */
    StackTcpSocket(StackNetwork network, TcpConnection accepted, Ipv4Address localAddress, InetSocketAddress remote) {
        super(network);
        this.settings = new TcpSocketSettings(network.tcp().config());
        settings.adopt(accepted);
        this.connection = accepted;
        this.connected = true;
        this.local = inet(localAddress, accepted.localPort());
        this.remote = remote;
        network.add(this);
        refreshReadiness();
    }

    @Override
    public void bind(InetSocketAddress localAddress) throws IOException {
        ensureOpen();
        if (localAddress != null && localAddress.getPort() != 0) {
            throw new UnsupportedOperationException(
                    "binding a client socket to a fixed port is not supported yet: " + localAddress);
        }
    }

    @Override
    public void connect(InetSocketAddress remoteAddress) throws IOException {
        ensureOpen();
        Ipv4Address target = ipv4(remoteAddress.getAddress());
        network.lock();
        try {
            if (connection != null && !connectPending) {
                throw new AlreadyConnectedException();
            }
            if (connectPending) {
                throw new ConnectionPendingException();
            }
            remote = remoteAddress;
            connectPending = true;
            connection = network.tcp().connect(target, remoteAddress.getPort(), settings.buffers(), network.now());
            if (connection == null) {
                connectFailure = new ConnectException("cannot connect to " + remoteAddress
                        + ": no route, no free port, or the connection limit is reached");
            } else {
                Ipv4Address source = network.ip().sourceFor(target);
                local = inet(source, connection.localPort());
                settings.applyTo(connection);
                network.add(this);
            }
        } finally {
            network.unlockAfterCall();
        }
        if (connection == null) {
            refreshReadinessAlone();
        }
    }

    private void refreshReadinessAlone() {
        network.lock();
        try {
            refreshReadiness();
        } finally {
            network.unlock();
        }
        signal();
    }

    @Override
    public boolean finishConnect() throws IOException {
        ensureOpen();
        network.lock();
        try {
            if (!connectPending) {
                if (connection != null) {
                    return true;
                }
                throw new NoConnectionPendingException();
            }
            if (connectFailure != null) {
                connectPending = false;
                throw connectFailure;
            }
            TcpState state = connection.state();
            if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
                return false;
            }
            connectPending = false;
            if (state == TcpState.CLOSED) {
                TcpConnection failed = connection;
                connection = null;
                throw new ConnectException(describeFailure(failed.closeReason()) + ": " + remote);
            }
            connected = true;
            return true;
        } finally {
            network.unlockAfterCall();
        }
    }

    private static String describeFailure(TcpCloseReason reason) {
        return switch (reason) {
            case REFUSED, RESET -> "connection refused";
            case TIMEOUT -> "connection timed out";
            default -> "connection failed (" + reason + ")";
        };
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    int computeReadyOps() {
        if (!isOpen()) {
            return Readiness.READ | Readiness.WRITE;
        }
        if (connectPending) {
            if (connectFailure != null) {
                return Readiness.CONNECT;
            }
            TcpState state = connection.state();
            return state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED ? 0 : Readiness.CONNECT;
        }
        if (connection == null) {
            return 0;
        }
        int ops = 0;
        TcpState state = connection.state();
        if (connection.availableToRead() > 0 || connection.peerClosed() || state == TcpState.CLOSED || inputShutdown) {
            ops |= Readiness.READ;
        }
        if (connection.sendBufferFree() > 0 || outputShutdown || state == TcpState.CLOSED) {
            ops |= Readiness.WRITE;
        }
        return ops;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        int n;
        network.lock();
        try {
            requireConnected();
            if (inputShutdown) {
                return -1;
            }
            // A read-only buffer goes through a segment view, which refuses the write as before.
            n = dst.isReadOnly() ? connection.receive(MemorySegment.ofBuffer(dst)) : connection.receive(dst);
            if (n == TcpConnection.END_OF_STREAM) {
                throwIfFailed();
            }
        } finally {
            network.unlockAfterCall();
        }
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        int n;
        network.lock();
        try {
            requireConnected();
            if (outputShutdown) {
                throw new SocketException("output is shut down on " + local);
            }
            n = connection.send(src);
            if (n == TcpConnection.END_OF_STREAM) {
                throwIfFailed();
                throw new SocketException("connection closed: " + remote);
            }
        } finally {
            network.unlockAfterCall();
        }
        src.position(src.position() + n);
        return n;
    }

    @Override
    public int readInPlace(InPlaceReader reader) throws IOException {
        ensureOpen();
        network.lock();
        try {
            requireConnected();
            if (inputShutdown) {
                return -1;
            }
            MemorySegment view = connection.receivedView();
            if (view.byteSize() == 0) {
                if (!connection.receiveFinished()) {
                    return 0;
                }
                throwIfFailed();
                return -1;
            }
            int used = checkedCount(reader.read(view), view, "reader");
            connection.consumeReceived(used);
            return used;
        } finally {
            network.unlockAfterCall();
        }
    }

    @Override
    public int writeInPlace(int maxBytes, InPlaceWriter writer) throws IOException {
        ensureOpen();
        network.lock();
        try {
            requireConnected();
            if (outputShutdown) {
                throw new SocketException("output is shut down on " + local);
            }
            MemorySegment space = connection.sendSpace(maxBytes);
            if (space == null) {
                throwIfFailed();
                throw new SocketException("connection closed: " + remote);
            }
            if (space.byteSize() == 0) {
                return 0;
            }
            int written = checkedCount(writer.write(space), space, "writer");
            connection.commitSend(written);
            return written;
        } finally {
            network.unlockAfterCall();
        }
    }

    /**
     * The error an ended connection gives reads and writes, as Linux's ECONNRESET and ETIMEDOUT
     * (retransmissions or keep-alive probes unanswered); nothing after a normal close.
     */
    private void throwIfFailed() throws SocketException {
        switch (connection.closeReason()) {
            case RESET -> throw new SocketException("connection reset by peer " + remote);
            case TIMEOUT -> throw new SocketException("connection timed out: " + remote
                    + " (retransmissions or keep-alive probes unanswered)");
            default -> {
            }
        }
    }

    private static int checkedCount(int count, MemorySegment view, String who) {
        if (count < 0 || count > view.byteSize()) {
            throw new IllegalArgumentException(who + " reported " + count + " bytes of a " + view.byteSize()
                    + "-byte view");
        }
        return count;
    }

    @Override
    public void shutdownOutput() throws IOException {
        ensureOpen();
        network.lock();
        try {
            requireConnected();
            if (!outputShutdown) {
                outputShutdown = true;
                connection.shutdownOutput();
            }
        } finally {
            network.unlockAfterCall();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        ensureOpen();
        network.lock();
        try {
            requireConnected();
            inputShutdown = true;
        } finally {
            network.unlockAfterCall();
        }
    }

    @Override
    void onClose() {
        if (connection == null) {
            return;
        }
        if (settings.lingerSeconds() == 0) {
            connection.abort(); // SO_LINGER 0: reset at once, queued data discarded (socket(7))
        } else {
            connection.close(); // FIN after queued data; the stack finishes the close on its own
        }
    }

    /**
     * SO_LINGER above zero: waits, as Linux's close does, until the send buffer has drained
     * (every byte acknowledged), the connection ended, or the linger time passed. Polls the
     * connection every millisecond: the stack's own thread moves it meanwhile.
     */
    @Override
    void afterClose() {
        int linger = settings.lingerSeconds();
        if (linger <= 0 || connection == null) {
            return;
        }
        long deadline = network.now() + TimeUnit.SECONDS.toNanos(linger);
        while (!drained() && network.now() - deadline < 0) {
            LockSupport.parkNanos(1_000_000L);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean drained() {
        network.lock();
        try {
            return connection.state() == TcpState.CLOSED || connection.sendBufferQueued() == 0;
        } finally {
            network.unlock();
        }
    }

    @Override
    String kind() {
        return "libos TCP socket";
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    private static final Set<SocketOption<?>> OPTIONS = union(TcpSocketSettings.OPTIONS,
            Set.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.IP_TOS));

    static Set<SocketOption<?>> union(Set<SocketOption<?>> a, Set<SocketOption<?>> b) {
        Set<SocketOption<?>> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    @Override
    <T> void setSupported(SocketOption<T> name, T value) throws IOException {
        if (!TcpSocketSettings.OPTIONS.contains(name)) {
            super.setSupported(name, value);
            return;
        }
        network.lock();
        try {
            settings.set(name, value, connectionForOptions(), network);
        } finally {
            network.unlockAfterCall(); // a window update or quick ACK may go out at once
        }
    }

    @Override
    Object getSupported(SocketOption<?> name) throws IOException {
        if (!TcpSocketSettings.OPTIONS.contains(name)) {
            return super.getSupported(name);
        }
        network.lock();
        try {
            return settings.get(name);
        } finally {
            network.unlock();
        }
    }

    /** The connection options apply to: none before connect or after it failed or closed. */
    private TcpConnection connectionForOptions() {
        return connection == null || connection.state() == TcpState.CLOSED ? null : connection;
    }

    private void requireConnected() {
        if (connection == null || connectPending) {
            throw new NotYetConnectedException();
        }
    }
}
