package dev.libos.net.nio;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.net.local.LocalNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/**
 * A {@link Pipe} over an in-memory byte ring: a connected stream pair from a private
 * {@link LocalNetwork} (only its public socket API is used), so the pipe never touches the
 * provider's network. Closing the source while bytes are unread makes the sink's writes fail,
 * as a broken pipe does.
 */
final class LibosPipe extends Pipe {
    /** Connecting on a local network finishes at once; this bound only guards against a bug. */
    private static final long SETUP_TIMEOUT_NANOS = 10_000_000_000L;

    private final LibosPipeSourceChannel source;
    private final LibosPipeSinkChannel sink;

    private LibosPipe(LibosPipeSourceChannel source, LibosPipeSinkChannel sink) {
        this.source = source;
        this.sink = sink;
    }

    static LibosPipe open(SelectorProvider provider) throws IOException {
        LocalNetwork ring = new LocalNetwork();
        try (TcpServerSocket server = ring.openTcpServer()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            TcpSocket writer = ring.openTcp();
            BlockingSockets.connect(writer, server.localAddress(), SETUP_TIMEOUT_NANOS);
            TcpSocket reader = BlockingSockets.accept(server, SETUP_TIMEOUT_NANOS);
            return new LibosPipe(new LibosPipeSourceChannel(provider, reader), new LibosPipeSinkChannel(provider, writer));
        }
    }

    @Override
    public SourceChannel source() {
        return source;
    }

    @Override
    public SinkChannel sink() {
        return sink;
    }
}
