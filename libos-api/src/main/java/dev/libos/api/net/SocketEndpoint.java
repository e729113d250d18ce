package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;

/**
 * What every libos socket has: readiness, listeners, options, an address and close. All
 * methods are thread-safe and never block; blocking calls are built on readiness
 * ({@link BlockingSockets}).
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
     * Sets a {@link java.net.StandardSocketOptions} option.
     *
     * @throws UnsupportedOperationException for an option this socket does not have
     * @throws IllegalArgumentException for a value out of range, naming it
     */
    <T> void setOption(SocketOption<T> name, T value) throws IOException;

    <T> T getOption(SocketOption<T> name) throws IOException;

    /** True until {@link #close()}. */
    boolean isOpen();

    /** Closes the socket; further calls throw {@link java.nio.channels.ClosedChannelException}. Idempotent. */
    @Override
    void close() throws IOException;
}
