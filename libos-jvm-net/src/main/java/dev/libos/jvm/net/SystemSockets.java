package dev.libos.jvm.net;

import dev.libos.api.net.HostNetwork;
import dev.libos.api.net.Network;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import java.io.IOException;
import java.net.SocketException;

/**
 * The sockets of whatever {@link SystemNetwork} is installed when a socket is opened: what the
 * JVM-wide adapters (the NIO provider, the socket factories, the resolver) open their sockets on.
 * A socket stays on the network it was opened on.
 */
public final class SystemSockets implements Network {
    /** The one instance. */
    public static final SystemSockets INSTANCE = new SystemSockets();

    private SystemSockets() {
    }

    /**
     * The installed system network.
     *
     * @param api what asks, for the message ({@code java.net.Socket})
     * @throws SocketException naming {@code api} when none is installed
     */
    public static HostNetwork require(String api) throws SocketException {
        return SystemNetwork.current().orElseThrow(() -> new SocketException(api
                + ": no libos system network is installed (the network boot hook did not run or found no network)"));
    }

    @Override
    public TcpSocket openTcp() throws IOException {
        return require("SocketChannel/Socket").sockets().openTcp();
    }

    @Override
    public TcpServerSocket openTcpServer() throws IOException {
        return require("ServerSocketChannel/ServerSocket").sockets().openTcpServer();
    }

    @Override
    public UdpSocket openUdp() throws IOException {
        return require("DatagramChannel/DatagramSocket").sockets().openUdp();
    }

    @Override
    public String toString() {
        return "SystemSockets[" + SystemNetwork.current().map(Object::toString).orElse("none installed") + "]";
    }
}
