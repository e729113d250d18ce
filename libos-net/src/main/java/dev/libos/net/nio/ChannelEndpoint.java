package dev.libos.net.nio;

import dev.libos.api.net.SocketEndpoint;
import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Set;

/**
 * The libos socket behind an NIO channel, and what every libos channel does with it alike: the
 * {@link ReadinessHub} its selection keys and blocking calls wait on, the open check, options
 * (while the channel is open; the socket lists those it has),
 * and close (the socket, then every waiter woken to see it).
 *
 * <p>The blocking sections themselves ({@code begin()}/{@code end()}) stay in the channels: the
 * JDK lets only the channel call them.
 */
final class ChannelEndpoint {
    private final Channel channel;
    private final SocketEndpoint socket;
    private final ReadinessHub readiness;

    /** Takes {@code socket}'s listener slot for the channel's life (see {@link ReadinessHub}). */
    ChannelEndpoint(Channel channel, SocketEndpoint socket) {
        this.channel = channel;
        this.socket = socket;
        this.readiness = new ReadinessHub(socket);
    }

    ReadinessHub readiness() {
        return readiness;
    }

    /** @throws ClosedChannelException once the channel is closed */
    void ensureOpen() throws ClosedChannelException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    <T> void setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        socket.setOption(name, value);
    }

    <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return socket.getOption(name);
    }

    /** The options the socket has. */
    Set<SocketOption<?>> supportedOptions() {
        return socket.supportedOptions();
    }

    /** Closes the socket and wakes every blocked thread and key, so that they see the close. */
    void close() throws IOException {
        socket.close();
        readiness.signalAll();
    }
}
