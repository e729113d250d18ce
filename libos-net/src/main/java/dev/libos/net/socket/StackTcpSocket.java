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

/** A TCP socket over a {@link TcpConnection} of the stack. */
final class StackTcpSocket extends StackEndpoint implements TcpSocket {
    private TcpConnection connection; // guarded by the stack lock
    private volatile InetSocketAddress remote;
    private boolean connectPending;
    private boolean outputShutdown;
    private boolean inputShutdown;
    private IOException connectFailure;

    StackTcpSocket(StackNetwork network) {
        super(network);
    }

    /** A socket for a connection the listener accepted. */
    StackTcpSocket(StackNetwork network, TcpConnection accepted, Ipv4Address localAddress, InetSocketAddress remote) {
        super(network);
        this.connection = accepted;
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
            connection = network.tcp().connect(target, remoteAddress.getPort(), network.now());
            if (connection == null) {
                connectFailure = new ConnectException("cannot connect to " + remoteAddress
                        + ": no route, no free port, or the connection limit is reached");
            } else {
                Ipv4Address source = network.ip().sourceFor(target);
                local = inet(source, connection.localPort());
                if (noDelaySet) {
                    connection.setNoDelay(noDelay);
                }
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
        network.lock();
        try {
            return connection != null && !connectPending;
        } finally {
            network.unlock();
        }
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
            n = connection.receive(MemorySegment.ofBuffer(dst));
            if (n == TcpConnection.END_OF_STREAM && connection.closeReason() == TcpCloseReason.RESET) {
                throw new SocketException("connection reset by peer " + remote);
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
            n = connection.send(MemorySegment.ofBuffer(src));
            if (n == TcpConnection.END_OF_STREAM) {
                throw new SocketException(connection.closeReason() == TcpCloseReason.RESET
                        ? "connection reset by peer " + remote
                        : "connection closed: " + remote);
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
                if (connection.closeReason() == TcpCloseReason.RESET) {
                    throw new SocketException("connection reset by peer " + remote);
                }
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
        if (connection != null && lingerZero) {
            connection.abort(); // SO_LINGER 0: RST, queued data dropped (RFC 9293 section 3.10.5)
        } else if (connection != null) {
            connection.close(); // FIN after queued data; the stack finishes the close on its own
        }
    }

    @Override
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        if (name == StandardSocketOptions.TCP_NODELAY) {
            ensureOpen();
            noDelay = (Boolean) value;
            noDelaySet = true;
            network.lock();
            try {
                if (connection != null) {
                    connection.setNoDelay(noDelay);
                }
            } finally {
                network.unlock();
            }
            return;
        }
        if (name == StandardSocketOptions.SO_LINGER) {
            ensureOpen();
            Integer seconds = (Integer) value;
            linger = seconds == null || seconds < 0 ? -1 : seconds;
            lingerZero = linger == 0;
            return;
        }
        super.setOption(name, value);
    }

    /** SO_LINGER seconds (-1: off); only 0 changes close: it resets. */
    private volatile int linger = -1;
    private volatile boolean lingerZero;

    private volatile boolean noDelay;
    private volatile boolean noDelaySet;

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        if (name == StandardSocketOptions.TCP_NODELAY) {
            ensureOpen();
            return (T) Boolean.valueOf(noDelay);
        }
        if (name == StandardSocketOptions.SO_LINGER) {
            ensureOpen();
            return (T) Integer.valueOf(linger);
        }
        return super.getOption(name);
    }

    private void requireConnected() {
        if (connection == null || connectPending) {
            throw new NotYetConnectedException();
        }
    }
}
