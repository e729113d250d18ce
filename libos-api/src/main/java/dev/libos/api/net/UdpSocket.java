package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A UDP socket; non-blocking. */
public interface UdpSocket extends SocketEndpoint {
    void bind(InetSocketAddress local) throws IOException;

    /** Restricts receive to, and sets the default destination to, {@code remote}. */
    void connect(InetSocketAddress remote) throws IOException;

    void disconnect() throws IOException;

    /** The connected peer, or null. */
    InetSocketAddress remoteAddress();

    /**
     * Receives one datagram into {@code dst} (truncated if it does not fit).
     *
     * @return the sender, or null when no datagram waits
     */
    InetSocketAddress receive(ByteBuffer dst) throws IOException;

    /**
     * Sends {@code src} as one datagram to {@code target} (null: the connected peer).
     *
     * @return bytes sent: all of {@code src}, or 0 when the socket cannot take it now
     */
    int send(ByteBuffer src, InetSocketAddress target) throws IOException;
}
