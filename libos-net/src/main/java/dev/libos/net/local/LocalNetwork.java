package dev.libos.net.local;

import dev.libos.api.net.Network;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory network: sockets connect by port, bytes move between bounded rings, no packets
 * and no protocol. It is the reference implementation of the socket API that the NIO and Netty
 * adapters are tested against, and a fast path between applications in one libos.
 *
 * <p>Addresses: every socket lives on one host; a bind or connect names a port (the address part
 * is kept for display, and a wildcard bind reports the loopback address).
 */
public final class LocalNetwork implements Network {
    /** Bytes each direction of a stream buffers. */
    static final int STREAM_BUFFER_BYTES = 256 * 1024;
    private static final int FIRST_EPHEMERAL = 49152;
    private static final int EPHEMERAL_COUNT = 65536 - FIRST_EPHEMERAL;

    private final Map<Integer, LocalTcpServerSocket> listeners = new ConcurrentHashMap<>();
    private final Map<Integer, LocalUdpSocket> datagramPorts = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> streamPortsInUse = new ConcurrentHashMap<>();
    private int nextEphemeral;

    @Override
    public TcpSocket openTcp() {
        return new LocalTcpSocket(this);
    }

    @Override
    public TcpServerSocket openTcpServer() {
        return new LocalTcpServerSocket(this);
    }

    @Override
    public UdpSocket openUdp() {
        return new LocalUdpSocket(this);
    }

    InetSocketAddress listen(LocalTcpServerSocket server, InetSocketAddress requested) throws IOException {
        int port = requested == null ? 0 : requested.getPort();
        if (port == 0) {
            port = claimEphemeral(streamPortsInUse);
        } else if (streamPortsInUse.putIfAbsent(port, Boolean.TRUE) != null) {
            throw new BindException("address in use: " + requested);
        }
        listeners.put(port, server);
        return address(requested, port);
    }

    void unlisten(LocalTcpServerSocket server) {
        InetSocketAddress local = server.localAddress();
        if (local != null && listeners.remove(local.getPort(), server)) {
            streamPortsInUse.remove(local.getPort());
        }
    }

    InetSocketAddress bindEphemeral(InetSocketAddress requested) throws IOException {
        int port = requested == null ? 0 : requested.getPort();
        if (port == 0) {
            port = claimEphemeral(streamPortsInUse);
        } else if (streamPortsInUse.putIfAbsent(port, Boolean.TRUE) != null) {
            throw new BindException("address in use: " + requested);
        }
        return address(requested, port);
    }

    void release(InetSocketAddress local) {
        if (local != null && !listeners.containsKey(local.getPort())) {
            streamPortsInUse.remove(local.getPort());
        }
    }

    void connect(LocalTcpSocket client, InetSocketAddress remote) throws ConnectException {
        LocalTcpServerSocket server = listeners.get(remote.getPort());
        if (server == null) {
            throw new ConnectException("connection refused: " + remote);
        }
        LocalTcpSocket serverEnd = new LocalTcpSocket(this);
        serverEnd.local = address(remote, remote.getPort());
        LocalTcpSocket.pair(client, serverEnd);
        if (!server.offer(serverEnd)) {
            throw new ConnectException("connection refused (backlog full): " + remote);
        }
    }

    InetSocketAddress bindDatagram(LocalUdpSocket socket, InetSocketAddress requested) throws IOException {
        int port = requested == null ? 0 : requested.getPort();
        if (port == 0) {
            port = claimEphemeralDatagram(socket);
        } else if (datagramPorts.putIfAbsent(port, socket) != null) {
            throw new BindException("address in use: " + requested);
        }
        return address(requested, port);
    }

    void unbindDatagram(LocalUdpSocket socket) {
        InetSocketAddress local = socket.localAddress();
        if (local != null) {
            datagramPorts.remove(local.getPort(), socket);
        }
    }

    void deliver(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        LocalUdpSocket receiver = datagramPorts.get(to.getPort());
        if (receiver != null) {
            receiver.enqueue(from, data);
        }
    }

    private synchronized int claimEphemeral(Map<Integer, Boolean> inUse) throws BindException {
        for (int tries = 0; tries < EPHEMERAL_COUNT; tries++) {
            int port = FIRST_EPHEMERAL + (nextEphemeral++ % EPHEMERAL_COUNT);
            if (inUse.putIfAbsent(port, Boolean.TRUE) == null) {
                return port;
            }
        }
        throw new BindException("no free ephemeral port");
    }

    private synchronized int claimEphemeralDatagram(LocalUdpSocket socket) throws BindException {
        for (int tries = 0; tries < EPHEMERAL_COUNT; tries++) {
            int port = FIRST_EPHEMERAL + (nextEphemeral++ % EPHEMERAL_COUNT);
            if (datagramPorts.putIfAbsent(port, socket) == null) {
                return port;
            }
        }
        throw new BindException("no free ephemeral port");
    }

    private static InetSocketAddress address(InetSocketAddress requested, int port) {
        InetAddress host = requested == null || requested.getAddress() == null || requested.getAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress()
                : requested.getAddress();
        return new InetSocketAddress(host, port);
    }
}
