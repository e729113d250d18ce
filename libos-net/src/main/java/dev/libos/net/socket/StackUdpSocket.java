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
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;
import dev.libos.net.tcp.BufferSizes;

/** A UDP socket over a socket of the stack's {@code UdpLayer}. */
final class StackUdpSocket extends StackEndpoint implements UdpSocket {
    /** Datagrams queued per socket before the stack drops and counts. */
    private static final int RECEIVE_QUEUE_DATAGRAMS = 1024;

    /** SO_RCVBUF by default: room for RECEIVE_QUEUE_DATAGRAMS datagrams of 1 KiB. */
    private static final int DEFAULT_RECEIVE_BUFFER_BYTES = RECEIVE_QUEUE_DATAGRAMS * 1024;
    /** SO_SNDBUF by default, and the largest datagram: the IPv4 limit (65535 less the headers). */
    private static final int MAX_DATAGRAM_BYTES = 65507;

    private dev.libos.net.ip.udp.UdpSocket socket; // guarded by the stack lock
    private volatile InetSocketAddress remote;
    private volatile int receiveBufferBytes = DEFAULT_RECEIVE_BUFFER_BYTES;
    private volatile int sendBufferBytes = MAX_DATAGRAM_BYTES;
    private volatile boolean broadcast;

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
            throw addressInUse(requested);
        }
        socket.setReceiveBufferBytes(receiveBufferBytes);
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
        if (src.remaining() > sendBufferBytes) {
            // Linux: EMSGSIZE for a datagram larger than the send buffer (or than IPv4 allows).
            throw new java.net.SocketException("message too long: " + src.remaining() + " bytes, SO_SNDBUF is "
                    + sendBufferBytes);
        }
        byte[] data = new byte[src.remaining()];
        src.get(data);
        network.lock();
        try {
            if (!broadcast && isBroadcast(destination)) {
                // Linux: EACCES unless SO_BROADCAST is set (socket(7)).
                throw new java.net.SocketException("permission denied: sending to broadcast address " + destination
                        + " needs SO_BROADCAST");
            }
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

    private boolean isBroadcast(Ipv4Address destination) {
        if (destination.equals(Ipv4Address.BROADCAST)) {
            return true;
        }
        for (dev.libos.net.ip.NetInterface iface : network.ip().interfaces()) {
            if (iface.configured() && iface.isBroadcast(destination)) {
                return true;
            }
        }
        return false;
    }

    @Override
    String kind() {
        return "libos UDP socket";
    }

    /** No multicast (IP_MULTICAST_IF, _TTL, _LOOP): the stack does not join groups. */
    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS);

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    <T> void setSupported(SocketOption<T> name, T value) throws IOException {
        if (name == StandardSocketOptions.SO_BROADCAST) {
            broadcast = (Boolean) value;
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            sendBufferBytes = Math.clamp((Integer) value, BufferSizes.MIN_BYTES, MAX_DATAGRAM_BYTES);
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            receiveBufferBytes = Math.clamp((Integer) value, BufferSizes.MIN_BYTES,
                    TcpSocketSettings.MAX_SOCKET_BUFFER_BYTES);
            network.lock();
            try {
                if (socket != null) {
                    socket.setReceiveBufferBytes(receiveBufferBytes);
                }
            } finally {
                network.unlock();
            }
        } else {
            super.setSupported(name, value);
        }
    }

    @Override
    Object getSupported(SocketOption<?> name) throws IOException {
        if (name == StandardSocketOptions.SO_BROADCAST) {
            return broadcast;
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            return sendBufferBytes;
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            return receiveBufferBytes;
        }
        return super.getSupported(name);
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
