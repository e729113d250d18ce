package dev.libos.net.local;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import jdk.net.ExtendedSocketOptions;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;

/** One end of a local stream connection: a pair of {@link ByteRing}s shared with the peer. */
final class LocalTcpSocket extends LocalEndpoint implements TcpSocket {
    private final LocalNetwork network;
    private volatile LocalTcpSocket peer;
    private volatile ByteRing in;
    private volatile ByteRing out;
    private volatile InetSocketAddress remote;
    private volatile boolean connectPending; // CONNECT raised, finishConnect not yet called
    private volatile IOException connectFailure;
    private volatile boolean reset;
    private volatile boolean outputShutdown;

    LocalTcpSocket(LocalNetwork network) {
        // Keep-alive, TCP_QUICKACK, SO_OOBINLINE and IP_TOS are kept and read back: in memory there
        // are no segments, so no probes, ACKs, urgent data or headers for them to change.
        super(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_RCVBUF,
                StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_REUSEADDR,
                StandardSocketOptions.SO_REUSEPORT, dev.libos.api.net.LibosSocketOptions.SO_OOBINLINE, StandardSocketOptions.IP_TOS,
                ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL,
                ExtendedSocketOptions.TCP_KEEPCOUNT, ExtendedSocketOptions.TCP_QUICKACK);
        this.network = network;
    }

    /**
     * Wires two sockets together (done by the network on connect): the ring towards the server is
     * the client's SO_SNDBUF, the ring back its SO_RCVBUF (as set before connect).
     */
    static void pair(LocalTcpSocket client, LocalTcpSocket server) {
        ByteRing toServer = new ByteRing((Integer) client.storedOption(StandardSocketOptions.SO_SNDBUF));
        ByteRing toClient = new ByteRing((Integer) client.storedOption(StandardSocketOptions.SO_RCVBUF));
        server.in = toServer;
        server.out = toClient;
        server.peer = client;
        server.remote = client.local;
        client.in = toClient;
        client.out = toServer;
        client.peer = server; // written last: a non-null peer means the rings are set
    }

    @Override
    public void bind(InetSocketAddress localAddress) throws IOException {
        ensureOpen();
        local = network.bindEphemeral(localAddress);
    }

    @Override
    public void connect(InetSocketAddress remoteAddress) throws IOException {
        ensureOpen();
        if (peer != null) {
            throw new AlreadyConnectedException();
        }
        if (connectPending) {
            throw new ConnectionPendingException();
        }
        if (local == null) {
            local = network.bindEphemeral(null);
        }
        remote = remoteAddress;
        try {
            network.connect(this, remoteAddress);
        } catch (ConnectException e) {
            connectFailure = e;
        }
        connectPending = true; // the attempt has ended: CONNECT is raised
        signal();
    }

    @Override
    public boolean finishConnect() throws IOException {
        ensureOpen();
        if (!connectPending) {
            if (peer != null) {
                return true;
            }
            throw new java.nio.channels.NoConnectionPendingException();
        }
        connectPending = false;
        if (connectFailure != null) {
            IOException failure = connectFailure;
            connectFailure = null;
            throw failure;
        }
        signal();
        return true;
    }

    @Override
    public boolean isConnected() {
        return peer != null && !connectPending;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public int readyOps() {
        int ops = 0;
        if (connectPending) {
            ops |= Readiness.CONNECT;
        }
        if (!isConnected()) {
            return ops | (isOpen() ? 0 : Readiness.READ | Readiness.WRITE);
        }
        if (reset || !isOpen() || in.readable()) {
            ops |= Readiness.READ;
        }
        if (reset || !isOpen() || outputShutdown || out.writable()) {
            ops |= Readiness.WRITE;
        }
        return ops;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureConnectionIntact();
        return signalPeerIfMoved(in.take(dst));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOutputOpen();
        return signalPeerIfMoved(out.put(src));
    }

    @Override
    public int readInPlace(InPlaceReader reader) throws IOException {
        ensureConnectionIntact();
        return signalPeerIfMoved(in.takeInPlace(reader));
    }

    @Override
    public int writeInPlace(int maxBytes, InPlaceWriter writer) throws IOException {
        ensureOutputOpen();
        return signalPeerIfMoved(out.putInPlace(maxBytes, writer));
    }

    /** Open, connected and not reset. */
    private void ensureConnectionIntact() throws IOException {
        ensureOpen();
        ensureConnected();
        if (reset) {
            throw new SocketException("connection reset by peer " + remote);
        }
    }

    /** The connection intact and the output not shut down. */
    private void ensureOutputOpen() throws IOException {
        ensureConnectionIntact();
        if (outputShutdown) {
            throw new SocketException("output is shut down on " + local);
        }
    }

    /** Tells the peer when bytes moved through a ring it shares (data to read, or room to write). */
    private int signalPeerIfMoved(int bytes) {
        if (bytes > 0) {
            peer.signal();
        }
        return bytes;
    }

    @Override
    public void shutdownOutput() throws IOException {
        ensureOpen();
        ensureConnected();
        if (!outputShutdown) {
            outputShutdown = true;
            out.finish();
            peer.signal();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        ensureOpen();
        ensureConnected();
        in.finish();
        signal();
    }

    /** SO_SNDBUF sizes the ring towards the peer, SO_RCVBUF the ring from it (once connected; before, at connect). */
    @Override
    Object applyOption(SocketOption<?> name, Object value) {
        if (name == StandardSocketOptions.SO_SNDBUF || name == StandardSocketOptions.SO_RCVBUF) {
            int bytes = Math.max(MIN_BUFFER_BYTES, (Integer) value);
            ByteRing ring = name == StandardSocketOptions.SO_SNDBUF ? out : in;
            return ring == null ? bytes : ring.resize(bytes);
        }
        return value;
    }

    @Override
    Object currentOption(SocketOption<?> name, Object stored) {
        ByteRing ring = name == StandardSocketOptions.SO_SNDBUF ? out : name == StandardSocketOptions.SO_RCVBUF ? in : null;
        return ring == null ? stored : ring.capacity();
    }

    /** The smallest ring an option may ask for, as the stack's smallest buffer. */
    private static final int MIN_BUFFER_BYTES = 4096;

    @Override
    void onClose() {
        LocalTcpSocket p = peer;
        if (p != null) {
            boolean unread = in.hasUnread(); // asked before finish(): a finished ring is always readable
            boolean lingerZero = Integer.valueOf(0).equals(storedOption(StandardSocketOptions.SO_LINGER));
            out.finish();
            in.finish();
            if (unread || lingerZero) {
                // Closing with unread input resets, as TCP does (RFC 9293 3.10.4); so does SO_LINGER 0.
                p.reset = true;
            }
            p.signal();
        }
        network.release(local);
    }

    private void ensureConnected() {
        if (!isConnected()) {
            throw new NotYetConnectedException();
        }
    }
}
