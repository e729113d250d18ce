package dev.libos.api.net;

import java.io.IOException;

/**
 * A network stack's socket API: the libos TCP/IP stack over a device, or an in-memory local
 * network. Sockets are non-blocking; {@link BlockingSockets} adds blocking calls for threads.
 */
public interface Network {
    TcpSocket openTcp() throws IOException;

    TcpServerSocket openTcpServer() throws IOException;

    UdpSocket openUdp() throws IOException;
}
