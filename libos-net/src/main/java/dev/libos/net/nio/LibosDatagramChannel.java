package dev.libos.net.nio;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.UdpSocket;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DatagramChannel} over a libos {@link UdpSocket}. Unbound channels bind to an ephemeral
 * port on first send or receive. Scatter reads receive one datagram and spread it; gather writes
 * send the buffers as one datagram. No multicast and no {@link DatagramSocket} view.
 */
public final class LibosDatagramChannel extends DatagramChannel implements LibosChannel {
    private final UdpSocket socket;
    private final ChannelEndpoint endpoint;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object stateLock = new Object();

    LibosDatagramChannel(SelectorProvider provider, UdpSocket socket) {
        super(provider);
        this.socket = socket;
        this.endpoint = new ChannelEndpoint(this, socket);
    }

    @Override
    public ReadinessHub readiness() {
        return endpoint.readiness();
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        InetSocketAddress address = local == null ? new InetSocketAddress(0) : LibosSocketChannel.inet(local);
        synchronized (stateLock) {
            endpoint.ensureOpen();
            if (socket.localAddress() != null) {
                throw new AlreadyBoundException();
            }
            socket.bind(address);
        }
        return this;
    }

    private void bindIfUnbound() throws IOException {
        synchronized (stateLock) {
            if (socket.localAddress() == null) {
                socket.bind(new InetSocketAddress(0));
            }
        }
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
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

    /** Not available: there is no {@link DatagramSocket} view of a libos channel. */
    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("no DatagramSocket view of a libos datagram channel; use the channel");
    }

    @Override
    public boolean isConnected() {
        return socket.remoteAddress() != null;
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        InetSocketAddress target = LibosSocketChannel.inet(remote);
        readLock.lock();
        try {
            writeLock.lock();
            try {
                synchronized (stateLock) {
                    endpoint.ensureOpen();
                    if (isConnected()) {
                        throw new AlreadyConnectedException();
                    }
                    socket.connect(target);
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        synchronized (stateLock) {
            if (isOpen()) {
                socket.disconnect();
            }
        }
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        endpoint.ensureOpen();
        return socket.remoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        endpoint.ensureOpen();
        return socket.localAddress();
    }

    /** Receives one datagram; null in non-blocking mode when none waits. */
    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        readLock.lock();
        try {
            endpoint.ensureOpen();
            bindIfUnbound();
            if (!isBlocking()) {
                return receiveOnce(dst);
            }
            boolean completed = false;
            try {
                begin();
                InetSocketAddress from;
                while ((from = receiveOnce(dst)) == null) {
                    endpoint.readiness().await(Readiness.READ);
                }
                completed = true;
                return from;
            } finally {
                end(completed);
            }
        } finally {
            readLock.unlock();
        }
    }

    /** One datagram, dropping those from other peers while connected (the JDK filters the same way). */
    private InetSocketAddress receiveOnce(ByteBuffer dst) throws IOException {
        while (true) {
            int start = dst.position();
            InetSocketAddress from = socket.receive(dst);
            InetSocketAddress remote = socket.remoteAddress();
            if (from == null || remote == null || remote.getPort() == from.getPort()
                    && Objects.equals(remote.getAddress(), from.getAddress())) {
                return from;
            }
            dst.position(start);
        }
    }

    /** Sends one datagram; 0 in non-blocking mode when the socket cannot take it now. */
    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        InetSocketAddress to = LibosSocketChannel.inet(target);
        writeLock.lock();
        try {
            endpoint.ensureOpen();
            InetSocketAddress remote = socket.remoteAddress();
            if (remote != null && !remote.equals(to)) {
                throw new AlreadyConnectedException();
            }
            bindIfUnbound();
            return sendBlockingOrNot(src, to);
        } finally {
            writeLock.unlock();
        }
    }

    private int sendBlockingOrNot(ByteBuffer src, InetSocketAddress to) throws IOException {
        if (!isBlocking()) {
            return socket.send(src, to);
        }
        boolean completed = false;
        try {
            begin();
            int n;
            while ((n = socket.send(src, to)) == 0 && src.hasRemaining()) {
                endpoint.readiness().await(Readiness.WRITE);
            }
            completed = true;
            return n;
        } finally {
            end(completed);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) read(new ByteBuffer[] {Objects.requireNonNull(dst, "dst")}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        StreamTransfer.checkBounds(dsts, offset, length);
        endpoint.ensureOpen();
        if (!isConnected()) {
            throw new NotYetConnectedException();
        }
        long room = 0;
        for (int i = offset; i < offset + length; i++) {
            room += dsts[i].remaining();
        }
        ByteBuffer datagram = ByteBuffer.allocate((int) Math.min(room, Integer.MAX_VALUE - 8));
        if (receive(datagram) == null) {
            return 0;
        }
        datagram.flip();
        int n = datagram.remaining();
        for (int i = offset; i < offset + length && datagram.hasRemaining(); i++) {
            int take = Math.min(dsts[i].remaining(), datagram.remaining());
            dsts[i].put(dsts[i].position(), datagram, datagram.position(), take);
            dsts[i].position(dsts[i].position() + take);
            datagram.position(datagram.position() + take);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {Objects.requireNonNull(src, "src")}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        StreamTransfer.checkBounds(srcs, offset, length);
        endpoint.ensureOpen();
        InetSocketAddress remote = socket.remoteAddress();
        if (remote == null) {
            throw new NotYetConnectedException();
        }
        ByteBuffer datagram;
        if (length == 1) {
            datagram = srcs[offset];
        } else {
            long size = 0;
            for (int i = offset; i < offset + length; i++) {
                size += srcs[i].remaining();
            }
            datagram = ByteBuffer.allocate((int) size);
            for (int i = offset; i < offset + length; i++) {
                datagram.put(srcs[i].duplicate());
            }
            datagram.flip();
        }
        int n = send(datagram, remote);
        if (length > 1 && n > 0) { // the datagram went out whole: consume the sources
            for (int i = offset; i < offset + length; i++) {
                srcs[i].position(srcs[i].limit());
            }
        }
        return n;
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("multicast is not supported by libos datagram channels");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("multicast is not supported by libos datagram channels");
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
        return "LibosDatagramChannel[" + (isOpen() ? "local=" + socket.localAddress() + " remote=" + socket.remoteAddress() : "closed") + "]";
    }
}
