package dev.libos.jvm.net.socket;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
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
import java.util.Set;

/**
 * The {@link SocketImpl} of every {@link java.net.ServerSocket} once libos is installed, over a
 * libos {@link TcpServerSocket}. {@code ServerSocket.bind} calls {@link #bind} then
 * {@link #listen}; the libos socket binds and listens in one step, so the address waits for
 * {@link #listen} (a port in use is a {@link java.net.BindException} from {@code bind}, as on
 * Linux). {@link #accept} honours SO_TIMEOUT and fills in a {@link LibosSocketImpl}.
 */
final class LibosServerSocketImpl extends SocketImpl {
    private final Network network;
    private volatile TcpServerSocket server;
    private final ImplOptions options = new ImplOptions("ServerSocket", this::server);
    private InetSocketAddress requested;

    LibosServerSocketImpl(Network network) {
        this.network = network;
    }

    private TcpServerSocket server() throws SocketException {
        TcpServerSocket s = server;
        if (s == null) {
            throw new SocketException("ServerSocket is not created");
        }
        return s;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("SocketImpl.create(false): a ServerSocket is a stream socket");
        }
        server = network.openTcpServer();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        requested = new InetSocketAddress(host, port);
        address = host;
        localport = port;
    }

    @Override
    protected void listen(int backlog) throws IOException {
        if (requested == null) {
            throw new SocketException("ServerSocket: listen before bind");
        }
        TcpServerSocket s = server();
        s.bind(requested, Math.max(1, backlog));
        InetSocketAddress local = s.localAddress();
        address = local.getAddress();
        localport = local.getPort();
    }

    @Override
    protected void accept(SocketImpl into) throws IOException {
        if (!(into instanceof LibosSocketImpl impl)) {
            throw new SocketException("ServerSocket.accept: a libos server socket cannot accept into "
                    + into.getClass().getName() + " (a ServerSocket subclass with its own SocketImpl)");
        }
        TcpSocket accepted;
        try {
            accepted = BlockingSockets.accept(server(), Timeouts.nanos(options.timeoutMillis()));
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
        impl.accepted(accepted);
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        throw notAClient("connect");
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        throw notAClient("connect");
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        throw notAClient("connect");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw notAClient("getInputStream");
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw notAClient("getOutputStream");
    }

    @Override
    protected int available() throws IOException {
        throw notAClient("available");
    }

    private static SocketException notAClient(String call) {
        return new SocketException("SocketImpl." + call + " on a ServerSocket's impl");
    }

    @Override
    protected void close() throws IOException {
        TcpServerSocket s = server;
        if (s != null) {
            s.close(); // wakes a thread blocked in accept: it sees the socket closed
        }
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw LegacyOptions.unsupported("SocketImpl.sendUrgentData", "a ServerSocket sends no data");
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
