package dev.libos.net.socket;

import static java.net.StandardSocketOptions.SO_KEEPALIVE;
import static java.net.StandardSocketOptions.SO_LINGER;
import static dev.libos.api.net.LibosSocketOptions.SO_OOBINLINE;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static java.net.StandardSocketOptions.TCP_NODELAY;
import static jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT;
import static jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE;
import static jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL;
import static jdk.net.ExtendedSocketOptions.TCP_QUICKACK;

import dev.libos.net.tcp.BufferSizes;
import dev.libos.net.tcp.KeepAlive;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.tcp.TcpConnection;
import java.net.SocketOption;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The per-connection options of a stack TCP socket: kept here while there is no connection
 * (before connect), applied to the {@link TcpConnection} once there is one, and read back from it.
 * Guarded by the stack lock.
 */
final class TcpSocketSettings {
    /** The options handled here. */
    static final Set<SocketOption<?>> OPTIONS = Set.of(TCP_NODELAY, SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTERVAL,
            TCP_KEEPCOUNT, TCP_QUICKACK, SO_SNDBUF, SO_RCVBUF, SO_LINGER, SO_OOBINLINE);
    /** Largest SO_SNDBUF / SO_RCVBUF granted (Linux's default tcp_wmem/tcp_rmem maximum is 4-6 MiB). */
    static final int MAX_SOCKET_BUFFER_BYTES = 4 << 20;

    private final int maxBufferBytes;
    private boolean noDelay;
    private boolean quickAck;
    private boolean keepAlive;
    private long keepIdleNanos;
    private long keepIntervalNanos;
    private int keepCount;
    private BufferSizes buffers;
    private int lingerSeconds = -1;
    private boolean oobInline;

    TcpSocketSettings(TcpConfig config) {
        this.maxBufferBytes = Math.max(MAX_SOCKET_BUFFER_BYTES, Math.max(config.sendBufferBytes(),
                config.receiveBufferBytes()));
        this.noDelay = config.noDelay();
        this.keepAlive = config.keepalive();
        this.keepIdleNanos = config.keepaliveIdleNanos();
        this.keepIntervalNanos = config.keepaliveIntervalNanos();
        this.keepCount = config.keepaliveCount();
        this.buffers = BufferSizes.of(config);
    }

    /** The buffers a connection opened now starts with. */
    BufferSizes buffers() {
        return buffers;
    }

    /** SO_LINGER: -1 off, 0 reset on close, above 0 seconds close waits for the send buffer. */
    int lingerSeconds() {
        return lingerSeconds;
    }

    /** Takes the options an accepted connection came with (buffers from its listener). */
    void adopt(TcpConnection connection) {
        buffers = new BufferSizes(connection.sendBufferCapacity(), connection.receiveBufferCapacity());
    }

    /** Applies everything set so far to a new connection (buffers were given at its creation). */
    void applyTo(TcpConnection connection) {
        connection.setNoDelay(noDelay);
        connection.setQuickAck(quickAck);
        KeepAlive k = connection.keepAlive();
        k.setIdleNanos(keepIdleNanos);
        k.setIntervalNanos(keepIntervalNanos);
        k.setCount(keepCount);
        k.setEnabled(keepAlive);
    }

    /** A size clamped to what a socket may ask for. */
    int clampBuffer(int bytes) {
        return Math.clamp(bytes, BufferSizes.MIN_BYTES, maxBufferBytes);
    }

    /**
     * Sets {@code name} (one of {@link #OPTIONS}, value checked) and applies it to
     * {@code connection} when there is one; {@code network} resizes buffers within its memory.
     */
    void set(SocketOption<?> name, Object value, TcpConnection connection, StackNetwork network) {
        if (name == TCP_NODELAY) {
            noDelay = (Boolean) value;
        } else if (name == TCP_QUICKACK) {
            quickAck = (Boolean) value;
        } else if (name == SO_KEEPALIVE) {
            keepAlive = (Boolean) value;
        } else if (name == TCP_KEEPIDLE) {
            keepIdleNanos = TimeUnit.SECONDS.toNanos((Integer) value);
        } else if (name == TCP_KEEPINTERVAL) {
            keepIntervalNanos = TimeUnit.SECONDS.toNanos((Integer) value);
        } else if (name == TCP_KEEPCOUNT) {
            keepCount = (Integer) value;
        } else if (name == SO_SNDBUF) {
            buffers = buffers.withSendBytes(clampBuffer((Integer) value));
        } else if (name == SO_RCVBUF) {
            buffers = buffers.withReceiveBytes(clampBuffer((Integer) value));
        } else if (name == SO_LINGER) {
            lingerSeconds = (Integer) value;
        } else if (name == SO_OOBINLINE) {
            oobInline = (Boolean) value;
        }
        if (connection != null) {
            applyTo(connection);
            if (name == SO_SNDBUF || name == SO_RCVBUF) {
                buffers = network.tcp().resizeBuffers(connection, buffers);
            }
        }
    }

    Object get(SocketOption<?> name) {
        if (name == TCP_NODELAY) {
            return noDelay;
        } else if (name == TCP_QUICKACK) {
            return quickAck;
        } else if (name == SO_KEEPALIVE) {
            return keepAlive;
        } else if (name == TCP_KEEPIDLE) {
            return (int) TimeUnit.NANOSECONDS.toSeconds(keepIdleNanos);
        } else if (name == TCP_KEEPINTERVAL) {
            return (int) TimeUnit.NANOSECONDS.toSeconds(keepIntervalNanos);
        } else if (name == TCP_KEEPCOUNT) {
            return keepCount;
        } else if (name == SO_SNDBUF) {
            return buffers.sendBytes();
        } else if (name == SO_RCVBUF) {
            return buffers.receiveBytes();
        } else if (name == SO_LINGER) {
            return lingerSeconds;
        } else if (name == SO_OOBINLINE) {
            return oobInline;
        }
        throw new IllegalStateException("not a TCP socket setting: " + name.name());
    }
}
