package dev.libos.net.local;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;
import java.util.ArrayDeque;

/** A local datagram socket: datagrams go straight into the receiver's bounded queue. */
final class LocalUdpSocket extends LocalEndpoint implements UdpSocket {
    private final LocalNetwork network;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private volatile InetSocketAddress remote;
    private long dropped;

    private record Datagram(InetSocketAddress from, byte[] data) {
    }

    LocalUdpSocket(LocalNetwork network) {
        super(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR,
                StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS);
        this.network = network;
    }

    @Override
    public void bind(InetSocketAddress localAddress) throws IOException {
        ensureOpen();
        local = network.bindDatagram(this, localAddress);
    }

    @Override
    public void connect(InetSocketAddress remoteAddress) throws IOException {
        ensureOpen();
        if (local == null) {
            bind(null);
        }
        remote = remoteAddress;
    }

    @Override
    public void disconnect() {
        remote = null;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        ensureOpen();
        Datagram d;
        synchronized (this) {
            d = queue.pollFirst();
        }
        if (d == null) {
            return null;
        }
        dst.put(d.data, 0, Math.min(d.data.length, dst.remaining())); // the rest is discarded, as UDP does
        return d.from;
    }

    @Override
    public int send(ByteBuffer src, InetSocketAddress target) throws IOException {
        ensureOpen();
        InetSocketAddress to = target != null ? target : remote;
        if (to == null) {
            throw new NotYetConnectedException();
        }
        if (local == null) {
            bind(null);
        }
        byte[] data = new byte[src.remaining()];
        src.get(data);
        network.deliver(local, to, data); // a datagram to nobody is dropped silently, as UDP does
        return data.length;
    }

    /** Sizes are rounded up to the stack's smallest buffer, so SO_RCVBUF 0 still queues datagrams. */
    @Override
    Object applyOption(java.net.SocketOption<?> name, Object value) {
        if (name == StandardSocketOptions.SO_SNDBUF || name == StandardSocketOptions.SO_RCVBUF) {
            return Math.max(4096, (Integer) value);
        }
        return value;
    }

    /** Queues a datagram; drops and counts it when the receive buffer (SO_RCVBUF) is full. */
    void enqueue(InetSocketAddress from, byte[] data) {
        synchronized (this) {
            int receiveBufferBytes = (Integer) storedOption(StandardSocketOptions.SO_RCVBUF);
            int queued = queue.stream().mapToInt(d -> d.data.length).sum();
            if (queued + data.length > receiveBufferBytes) {
                dropped++;
                return;
            }
            queue.addLast(new Datagram(from, data));
        }
        signal();
    }

    synchronized long dropped() {
        return dropped;
    }

    @Override
    public int readyOps() {
        int ops = Readiness.WRITE;
        synchronized (this) {
            if (!queue.isEmpty() || !isOpen()) {
                ops |= Readiness.READ;
            }
        }
        return ops;
    }

    @Override
    void onClose() {
        network.unbindDatagram(this);
    }
}
