package dev.libos.net.tcp;

import java.util.ArrayDeque;

/**
 * A passive open on one local port (RFC 9293 LISTEN). Half-open connections (SYN-RECEIVED)
 * are bounded by the SYN backlog: when it is full, further SYNs are answered with SYN cookies
 * ({@link SynCookies}) and keep no state, so a SYN flood costs a bounded amount of memory (no
 * buffers are allocated before the handshake completes) and a legitimate client still
 * connects. Established connections wait in a bounded accept queue; when it is full a completed
 * handshake is reset.
 */
public final class TcpListener {
    private final TcpLayer layer;
    private final int localPort;
    private final int synBacklog;
    private final int acceptBacklog;
    final ArrayDeque<FourTuple> halfOpen = new ArrayDeque<>();
    final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    private boolean closed;
    private BufferSizes buffers;
    /** When this listener last answered a SYN with a cookie (layer-owned). */
    long cookieSentNanos = Long.MIN_VALUE;

    TcpListener(TcpLayer layer, int localPort, int synBacklog, int acceptBacklog, BufferSizes buffers) {
        if (synBacklog < 1) {
            throw new IllegalArgumentException("synBacklog must be >= 1: " + synBacklog);
        }
        if (acceptBacklog < 1) {
            throw new IllegalArgumentException("acceptBacklog must be >= 1: " + acceptBacklog);
        }
        this.layer = layer;
        this.localPort = localPort;
        this.synBacklog = synBacklog;
        this.acceptBacklog = acceptBacklog;
        this.buffers = buffers;
    }

    /** The buffers connections accepted from now on start with (the listener's SO_RCVBUF, as on Linux). */
    public BufferSizes buffers() {
        return buffers;
    }

    public void setBuffers(BufferSizes buffers) {
        this.buffers = java.util.Objects.requireNonNull(buffers, "buffers");
    }

    /** The next established connection, or null when none is waiting. */
    public TcpConnection accept() {
        return acceptQueue.poll();
    }

    /** Connections waiting in the accept queue. */
    public int pendingAccepts() {
        return acceptQueue.size();
    }

    /** Half-open connections (SYN-RECEIVED). */
    public int halfOpenCount() {
        return halfOpen.size();
    }

    /** The port. */
    public int localPort() {
        return localPort;
    }

    /** True when a SYN cookie went out at or after {@code sinceNanos}: cookie ACKs are checked only then. */
    boolean sentCookiesSince(long sinceNanos) {
        return cookieSentNanos != Long.MIN_VALUE && cookieSentNanos >= sinceNanos;
    }

    int synBacklog() {
        return synBacklog;
    }

    int acceptBacklog() {
        return acceptBacklog;
    }

    /** True after {@link #close()}. */
    public boolean closed() {
        return closed;
    }

    /** Stops listening; half-open and unaccepted connections are reset. */
    public void close() {
        if (!closed) {
            closed = true;
            layer.closeListener(this);
        }
    }
}
