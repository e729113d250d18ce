package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;

/**
 * What every libos socket has: readiness, a listener, options, an address and close. All
 * methods are thread-safe and never block; blocking calls are built on readiness
 * ({@link BlockingSockets}).
 */
public interface SocketEndpoint extends AutoCloseable {
    /** The current readiness, level-triggered ({@link Readiness} bits). */
    int readyOps();

    /**
     * Sets the one listener told of readiness changes (null removes it). It is called at least
     * once for every change after it is set; spurious calls are allowed.
     */
    void setReadinessListener(ReadinessListener listener);

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
