package dev.libos.net.socket;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.net.tcp.FourTuple;
import dev.libos.net.tcp.TcpConnection;
import dev.libos.net.tcp.TcpListener;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;
import dev.libos.net.tcp.BufferSizes;

/** A listening TCP socket over a {@link TcpListener} of the stack. */
final class StackTcpServerSocket extends StackEndpoint implements TcpServerSocket {
    /** Where port 0 takes its port from; below the connect side's ephemeral range (49152+). */
    static final int FIRST_LISTEN_PORT = 32768;
    static final int LAST_LISTEN_PORT_EXCLUSIVE = 49152;

    private TcpListener listener; // guarded by the stack lock
    private int receiveBufferBytes; // guarded by the stack lock: SO_RCVBUF of accepted connections

    StackTcpServerSocket(StackNetwork network) {
        super(network);
        this.receiveBufferBytes = network.tcp().config().receiveBufferBytes();
    }

    @Override
    public void bind(InetSocketAddress localAddress, int backlog) throws IOException {
        ensureOpen();
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
        Ipv4Address address = localAddress == null || localAddress.getAddress() == null
                ? Ipv4Address.UNSPECIFIED
                : ipv4(localAddress.getAddress());
        int port = localAddress == null ? 0 : localAddress.getPort();
        network.lock();
        try {
            if (listener != null) {
                throw new java.nio.channels.AlreadyBoundException();
            }
            listener = port == 0 ? listenOnFreePort(backlog) : listen(port, backlog, localAddress);
            listener.setBuffers(listener.buffers().withReceiveBytes(receiveBufferBytes));
            local = inet(network.boundAddress(address), listener.localPort());
            network.add(this);
        } finally {
            network.unlockAfterCall();
        }
    }

    private TcpListener listen(int port, int backlog, InetSocketAddress requested) throws BindException {
        try {
            return network.tcp().listen(port, Math.max(backlog, 16), backlog);
        } catch (IllegalArgumentException e) {
            throw addressInUse(requested);
        }
    }

    private TcpListener listenOnFreePort(int backlog) throws BindException {
        for (int tries = 0; tries < LAST_LISTEN_PORT_EXCLUSIVE - FIRST_LISTEN_PORT; tries++) {
            int port = network.nextListenPortCandidate();
            try {
                return network.tcp().listen(port, Math.max(backlog, 16), backlog);
            } catch (IllegalArgumentException inUse) {
                // taken: try the next one
            }
        }
        throw new BindException("no free port to listen on");
    }

    @Override
    public TcpSocket accept() throws IOException {
        ensureOpen();
        network.lock();
        try {
            if (listener == null) {
                throw new java.nio.channels.NotYetBoundException();
            }
            TcpConnection accepted = listener.accept();
            if (accepted == null) {
                return null;
            }
            FourTuple key = network.tcp().keyOf(accepted);
            Ipv4Address localAddress = key == null ? ipv4(local.getAddress()) : new Ipv4Address(key.localAddress());
            InetSocketAddress remote = key == null ? null : inet(new Ipv4Address(key.remoteAddress()), key.remotePort());
            return new StackTcpSocket(network, accepted, localAddress, remote);
        } finally {
            network.unlockAfterCall();
        }
    }

    @Override
    int computeReadyOps() {
        if (!isOpen()) {
            return Readiness.ACCEPT;
        }
        return listener != null && listener.pendingAccepts() > 0 ? Readiness.ACCEPT : 0;
    }

    @Override
    String kind() {
        return "libos TCP server socket";
    }

    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.IP_TOS);

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    /** SO_RCVBUF: the receive buffer, and so the window scale, of connections accepted from now on (as Linux). */
    @Override
    <T> void setSupported(SocketOption<T> name, T value) throws IOException {
        if (name != StandardSocketOptions.SO_RCVBUF) {
            super.setSupported(name, value);
            return;
        }
        network.lock();
        try {
            receiveBufferBytes = Math.clamp((Integer) value, BufferSizes.MIN_BYTES,
                    Math.max(TcpSocketSettings.MAX_SOCKET_BUFFER_BYTES, network.tcp().config().receiveBufferBytes()));
            if (listener != null) {
                listener.setBuffers(listener.buffers().withReceiveBytes(receiveBufferBytes));
            }
        } finally {
            network.unlock();
        }
    }

    @Override
    Object getSupported(SocketOption<?> name) throws IOException {
        if (name != StandardSocketOptions.SO_RCVBUF) {
            return super.getSupported(name);
        }
        network.lock();
        try {
            return receiveBufferBytes;
        } finally {
            network.unlock();
        }
    }

    @Override
    void onClose() {
        if (listener != null) {
            listener.close();
        }
    }
}
