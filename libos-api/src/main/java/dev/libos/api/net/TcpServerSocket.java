package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A listening TCP socket; non-blocking. */
public interface TcpServerSocket extends SocketEndpoint {
    /**
     * Binds and listens. Port 0 picks an ephemeral port.
     *
     * @param backlog connections that may wait for {@link #accept()}; at least 1
     * @throws java.net.BindException naming the address when it is in use
     */
    void bind(InetSocketAddress local, int backlog) throws IOException;

    /** @return the next established connection, or null when none waits */
    TcpSocket accept() throws IOException;
}
