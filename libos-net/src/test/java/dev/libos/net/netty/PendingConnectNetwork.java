package dev.libos.net.netty;

import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.ReadinessListener;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A network whose connects stay in progress until the test ends them ({@link
 * PendingSocket#establish()}); nothing is ever sent. For the connect-in-progress and
 * connect-timeout paths, which an in-memory network (that connects at once) never takes.
 */
final class PendingConnectNetwork implements Network {
    final BlockingQueue<PendingSocket> opened = new LinkedBlockingQueue<>();

    @Override
    public TcpSocket openTcp() {
        PendingSocket s = new PendingSocket();
        opened.add(s);
        return s;
    }

    @Override
    public TcpServerSocket openTcpServer() {
        throw new UnsupportedOperationException("client sockets only");
    }

    @Override
    public UdpSocket openUdp() {
        throw new UnsupportedOperationException("client sockets only");
    }

    /** A socket whose connect ends only when the test says so. */
    static final class PendingSocket implements TcpSocket {
        private volatile ReadinessListener listener;
        private volatile InetSocketAddress remote;
        private volatile boolean established;
        private volatile boolean open = true;

        /** Ends the connect successfully: raises CONNECT. */
        void establish() {
            established = true;
            ReadinessListener l = listener;
            if (l != null) {
                l.onReadiness(readyOps());
            }
        }

        @Override
        public int readyOps() {
            return established ? Readiness.CONNECT | Readiness.WRITE : 0;
        }

        @Override
        public dev.libos.api.net.ReadinessListeners.Registration addReadinessListener(ReadinessListener listener) {
            this.listener = listener; // one listener: the transport's registration
            listener.onReadiness(readyOps());
            return () -> this.listener = null;
        }

        @Override
        public InetSocketAddress localAddress() {
            return remote == null ? null : new InetSocketAddress(remote.getAddress(), 50_000);
        }

        private final java.util.Map<SocketOption<?>, Object> options = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public <T> void setOption(SocketOption<T> name, T value) {
            if (!supportedOptions().contains(name)) {
                throw new UnsupportedOperationException(name.name());
            }
            options.put(name, value);
        }

        @Override
        public <T> T getOption(SocketOption<T> name) {
            if (!options.containsKey(name)) {
                throw new UnsupportedOperationException(name.name());
            }
            return name.type().cast(options.get(name));
        }

        /** Kept, without effect: the socket never connects. */
        @Override
        public java.util.Set<SocketOption<?>> supportedOptions() {
            return java.util.Set.of(java.net.StandardSocketOptions.TCP_NODELAY);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public void bind(InetSocketAddress local) {
        }

        @Override
        public void connect(InetSocketAddress remote) {
            this.remote = remote;
        }

        @Override
        public boolean finishConnect() {
            return established;
        }

        @Override
        public boolean isConnected() {
            return established;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public int read(ByteBuffer dst) {
            return 0;
        }

        @Override
        public int readInPlace(InPlaceReader reader) {
            return 0;
        }

        @Override
        public int writeInPlace(int maxBytes, InPlaceWriter writer) {
            return 0;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void shutdownInput() {
        }
    }
}
