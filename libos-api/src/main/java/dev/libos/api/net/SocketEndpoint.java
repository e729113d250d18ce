package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.util.Set;

/**
 * What every libos socket has: readiness, listeners, options, an address and close. All
 * methods are thread-safe and never block (save close with SO_LINGER, below); blocking calls are
 * built on readiness ({@link BlockingSockets}).
 */
public interface SocketEndpoint extends AutoCloseable {
    /** The current readiness, level-triggered ({@link Readiness} bits). */
    int readyOps();

    /**
     * Adds a listener told of readiness changes: it is called once at once, then at least once for
     * every change; spurious calls are allowed. Several may be registered at a time (a reader and a
     * writer blocked on two threads, a selector). Closing the returned handle removes it.
     */
    ReadinessListeners.Registration addReadinessListener(ReadinessListener listener);

    /** The bound local address, or null while unbound. */
    InetSocketAddress localAddress();

    /**
     * Sets a socket option with Linux's meaning: the {@link java.net.StandardSocketOptions} and,
     * for TCP, the {@code jdk.net.ExtendedSocketOptions} Linux has ({@code TCP_KEEPIDLE},
     * {@code TCP_KEEPINTERVAL}, {@code TCP_KEEPCOUNT}, {@code TCP_QUICKACK}). Values are checked
     * by {@link SocketOptionValues#check}. Sizes may be rounded into the implementation's range;
     * {@link #getOption} reads back the value in effect.
     *
     * @throws UnsupportedOperationException for an option not in {@link #supportedOptions()},
     *     or a value this socket cannot honour; the message names the option
     * @throws IllegalArgumentException for a value out of range or of the wrong type, naming the option
     * @throws java.nio.channels.ClosedChannelException once closed
     */
    <T> void setOption(SocketOption<T> name, T value) throws IOException;

    /**
     * The value of an option in effect.
     *
     * @throws UnsupportedOperationException for an option not in {@link #supportedOptions()}, naming it
     * @throws java.nio.channels.ClosedChannelException once closed
     */
    <T> T getOption(SocketOption<T> name) throws IOException;

    /** The options {@link #setOption} and {@link #getOption} accept on this kind of socket (immutable). */
    Set<SocketOption<?>> supportedOptions();

    /** True until {@link #close()}. */
    boolean isOpen();

    /**
     * Closes the socket; further calls throw {@link java.nio.channels.ClosedChannelException}.
     * Idempotent. The one call that may block: a TCP socket with {@code SO_LINGER} above zero
     * waits, as on Linux, up to that many seconds for its send buffer to drain ({@code SO_LINGER}
     * zero resets the connection instead).
     */
    @Override
    void close() throws IOException;
}
