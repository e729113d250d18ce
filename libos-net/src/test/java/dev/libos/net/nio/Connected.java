package dev.libos.net.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** A connected pair of channels on one provider, for tests; closes all three channels. */
record Connected(ServerSocketChannel server, SocketChannel client, SocketChannel accepted) implements AutoCloseable {
    static InetSocketAddress anyLoopbackPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Connects in blocking mode; all channels are left blocking. */
    static Connected open(SelectorProvider provider) throws IOException {
        ServerSocketChannel server = provider.openServerSocketChannel().bind(anyLoopbackPort());
        SocketChannel client = provider.openSocketChannel();
        client.connect(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        return new Connected(server, client, accepted);
    }

    @Override
    public void close() throws IOException {
        accepted.close();
        client.close();
        server.close();
    }
}
