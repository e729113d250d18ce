package dev.libos.jvm.net.socket;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpSocket;
import dev.libos.jvm.net.SystemSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The {@link SocketImpl} of every {@link java.net.Socket} once libos is installed: a connecting
 * socket, or one a {@link LibosServerSocketImpl} accepted, over a libos {@link TcpSocket} with
 * {@link BlockingSockets} (a libos thread gives its CPU away while it waits; a virtual thread
 * unmounts). Reads honour SO_TIMEOUT; writes block until the send buffer took everything.
 */
final class LibosSocketImpl extends SocketImpl {
    private final Network network;
    private volatile TcpSocket socket;
    private final ImplOptions options = new ImplOptions("Socket", this::socket);
    private InputStream input;
    private OutputStream output;

    LibosSocketImpl(Network network) {
        this.network = network;
    }

    /** Makes this impl the server side of {@code accepted} (ServerSocket.accept). */
    void accepted(TcpSocket accepted) {
        socket = accepted;
        InetSocketAddress remote = accepted.remoteAddress();
        InetSocketAddress local = accepted.localAddress();
        address = remote.getAddress();
        port = remote.getPort();
        localport = local == null ? 0 : local.getPort();
    }

    private TcpSocket socket() throws SocketException {
        TcpSocket s = socket;
        if (s == null) {
            throw new SocketException("Socket is not created");
        }
        return s;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("SocketImpl.create(false): datagram SocketImpls are not supported by libos; use DatagramSocket");
        }
        socket = network.openTcp();
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress remote, int timeoutMillis) throws IOException {
        if (!(remote instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("unsupported address type: " + remote);
        }
        if (inet.isUnresolved()) {
            throw new UnknownHostException(inet.getHostName());
        }
        TcpSocket s = socket();
        try {
            BlockingSockets.connect(s, inet, Timeouts.nanos(timeoutMillis));
        } catch (IOException e) {
            s.close(); // as java.net does: a socket whose connect failed is closed
            throw e instanceof InterruptedIOException ? e : LegacyOptions.asSocketException(e);
        }
        address = inet.getAddress();
        port = inet.getPort();
        localport = s.localAddress().getPort();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        TcpSocket s = socket();
        s.bind(new InetSocketAddress(host, port));
        localport = s.localAddress().getPort();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("SocketImpl.listen: a java.net.Socket impl cannot listen (use ServerSocket)");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("SocketImpl.accept: a java.net.Socket impl cannot accept (use ServerSocket)");
    }

    @Override
    protected synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new TcpInputStream(socket(), () -> Timeouts.nanos(options.timeoutMillis()));
        }
        return input;
    }

    @Override
    protected synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new TcpOutputStream(socket());
        }
        return output;
    }

    @Override
    protected int available() throws IOException {
        return TcpInputStream.available(socket());
    }

    @Override
    protected void close() throws IOException {
        TcpSocket s = socket;
        if (s != null) {
            s.close(); // wakes a reader or writer blocked on it: they see the socket closed
        }
    }

    @Override
    protected void shutdownInput() throws IOException {
        socket().shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        socket().shutdownOutput();
    }

    /**
     * True only so that {@code Socket.sendUrgentData} reaches {@link #sendUrgentData}, whose
     * message names the API (the JDK's own, "Urgent data not supported", does not say why).
     */
    @Override
    protected boolean supportsUrgentData() {
        return true;
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw LegacyOptions.unsupported("SocketImpl.sendUrgentData (Socket.sendUrgentData, TCP urgent data)", null);
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        options.set(optID, value);
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        return options.get(optID);
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        options.set(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return options.get(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return options.supported();
    }
}
