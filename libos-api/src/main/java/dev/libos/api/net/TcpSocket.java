package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A TCP connection endpoint; non-blocking. */
public interface TcpSocket extends SocketEndpoint {
    /** Binds the local address before connecting (optional: connect picks an ephemeral port). */
    void bind(InetSocketAddress local) throws IOException;

    /**
     * Starts connecting to {@code remote}; {@link Readiness#CONNECT} is raised when the attempt
     * ends, and {@link #finishConnect()} then tells how.
     *
     * @throws java.nio.channels.AlreadyConnectedException if connected or connecting
     */
    void connect(InetSocketAddress remote) throws IOException;

    /**
     * @return true once connected, false while the attempt is in progress
     * @throws java.net.ConnectException naming the address when refused, reset or timed out
     */
    boolean finishConnect() throws IOException;

    boolean isConnected();

    /** The peer's address, or null before connect. */
    InetSocketAddress remoteAddress();

    /**
     * Reads into {@code dst}.
     *
     * @return bytes read; 0 when none are available; -1 once the peer closed its side and
     *     every byte has been read
     * @throws java.net.SocketException when the connection was reset
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes from {@code src}.
     *
     * @return bytes accepted into the send buffer; 0 when it is full
     * @throws java.net.SocketException when the connection was reset or output is shut down
     */
    int write(ByteBuffer src) throws IOException;

    /** Sends FIN after the bytes already written (half-close). */
    void shutdownOutput() throws IOException;

    /** Discards further input; reads return -1. */
    void shutdownInput() throws IOException;
}
