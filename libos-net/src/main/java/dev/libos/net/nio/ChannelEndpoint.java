package dev.libos.net.nio;

import dev.libos.api.net.SocketEndpoint;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The libos socket behind an NIO channel, and what every libos channel does with it alike: the
 * {@link ReadinessHub} its selection keys and blocking calls wait on, the open check, options
 * (while the channel is open; the supported set found once by asking, since the API has no list),
 * and close (the socket, then every waiter woken to see it).
 *
 * <p>The blocking sections themselves ({@code begin()}/{@code end()}) stay in the channels: the
 * JDK lets only the channel call them.
 */
final class ChannelEndpoint {
    private static final List<SocketOption<?>> CANDIDATE_OPTIONS = List.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS);

    private final Channel channel;
    private final SocketEndpoint socket;
    private final ReadinessHub readiness;
    private Set<SocketOption<?>> supportedOptions; // guarded by this

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

    /** The standard options the socket answers for, asked once (empty if it was closed by then). */
    synchronized Set<SocketOption<?>> supportedOptions() {
        if (supportedOptions == null) {
            Set<SocketOption<?>> supported = new LinkedHashSet<>();
            for (SocketOption<?> option : CANDIDATE_OPTIONS) {
                try {
                    socket.getOption(option);
                    supported.add(option);
                } catch (UnsupportedOperationException | IOException notThisOne) {
                    // not supported (or closed): left out
                }
            }
            supportedOptions = Collections.unmodifiableSet(supported);
        }
        return supportedOptions;
    }

    /** Closes the socket and wakes every blocked thread and key, so that they see the close. */
    void close() throws IOException {
        socket.close();
        readiness.signalAll();
    }
}
