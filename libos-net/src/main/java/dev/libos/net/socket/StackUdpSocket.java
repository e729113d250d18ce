package dev.libos.net.socket;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.UdpSocket;
import dev.libos.net.ip.udp.UdpMessage;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;

/** A UDP socket over a socket of the stack's {@code UdpLayer}. */
final class StackUdpSocket extends StackEndpoint implements UdpSocket {
    /** Datagrams queued per socket before the stack drops and counts. */
    private static final int RECEIVE_QUEUE_DATAGRAMS = 1024;

    private dev.libos.net.ip.udp.UdpSocket socket; // guarded by the stack lock
    private volatile InetSocketAddress remote;

    StackUdpSocket(StackNetwork network) {
        super(network);
    }

    @Override
    public void bind(InetSocketAddress localAddress) throws IOException {
        ensureOpen();
        Ipv4Address address = localAddress == null || localAddress.getAddress() == null
                ? Ipv4Address.UNSPECIFIED
                : ipv4(localAddress.getAddress());
        int port = localAddress == null ? 0 : localAddress.getPort();
        network.lock();
        try {
            bindLocked(address, port, localAddress);
        } finally {
            network.unlockAfterCall();
        }
    }

    private void bindLocked(Ipv4Address address, int port, InetSocketAddress requested) throws BindException {
        if (socket != null) {
            throw new java.nio.channels.AlreadyBoundException();
        }
        socket = network.udp().bind(address, port, RECEIVE_QUEUE_DATAGRAMS);
        if (socket == null) {
            throw new BindException("address in use: " + requested);
        }
        local = inet(network.boundAddress(address), socket.localPort());
        network.add(this);
    }

    @Override
    public void connect(InetSocketAddress remoteAddress) throws IOException {
        ensureOpen();
        ipv4(remoteAddress.getAddress());
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
        UdpMessage message;
        network.lock();
        try {
            if (socket == null) {
                return null;
            }
            message = socket.receive();
            refreshReadiness();
        } finally {
            network.unlock();
        }
        if (message == null) {
            return null;
        }
        byte[] data = message.data();
        dst.put(data, 0, Math.min(data.length, dst.remaining())); // the rest is discarded, as UDP does
        return inet(message.source(), message.sourcePort());
    }

    @Override
    public int send(ByteBuffer src, InetSocketAddress target) throws IOException {
        ensureOpen();
        InetSocketAddress to = target != null ? target : remote;
        if (to == null) {
            throw new NotYetConnectedException();
        }
        Ipv4Address destination = ipv4(to.getAddress());
        byte[] data = new byte[src.remaining()];
        src.get(data);
        network.lock();
        try {
            if (socket == null) {
                bindLocked(Ipv4Address.UNSPECIFIED, 0, null);
            }
            // A datagram the IP layer cannot send (no route, ARP pending and full) is dropped and
            // counted there, as UDP may.
            socket.send(destination, to.getPort(), data);
        } finally {
            network.unlockAfterCall();
        }
        return data.length;
    }

    @Override
    int computeReadyOps() {
        if (!isOpen()) {
            return Readiness.READ | Readiness.WRITE;
        }
        return Readiness.WRITE | (socket != null && socket.available() > 0 ? Readiness.READ : 0);
    }

    @Override
    void onClose() {
        if (socket != null) {
            socket.close();
        }
    }
}
