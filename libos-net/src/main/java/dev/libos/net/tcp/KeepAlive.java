package dev.libos.net.tcp;

/**
 * The keep-alive timer of one connection (RFC 9293 section 3.8.4, RFC 1122 section 4.2.3.6):
 * off by default; when on, a connection that has heard nothing from its peer for
 * {@link #idleNanos()} sends a probe, then one every {@link #intervalNanos()} while unanswered,
 * and is aborted after {@link #count()} unanswered probes (Linux's SO_KEEPALIVE, TCP_KEEPIDLE,
 * TCP_KEEPINTVL, TCP_KEEPCNT). Idle time runs from the last segment received, as in Linux, so
 * settings changed on an idle connection take effect counting from then.
 *
 * <p>Pure state: the connection says when it is synchronized ({@link #start}, {@link #stop}),
 * when a segment arrived ({@link #heard}), and asks at its deadline what to do ({@link #onTimer}).
 */
public final class KeepAlive {
    /** What the timer calls for at its deadline. */
    enum Action {
        /** Nothing now (off, not due, or postponed while data is outstanding). */
        NONE,
        /** Send a probe: SEG.SEQ = SND.NXT - 1, no data. */
        PROBE,
        /** {@link #count()} probes went unanswered: reset and abort ("connection timed out"). */
        ABORT
    }

    private boolean enabled;
    private long idleNanos;
    private long intervalNanos;
    private int count;
    private boolean running; // the connection is in a state where probes apply
    private long lastHeardNanos;
    private long lastProbeNanos;
    private int probesSent;

    KeepAlive(TcpConfig config) {
        this.enabled = config.keepalive();
        this.idleNanos = config.keepaliveIdleNanos();
        this.intervalNanos = config.keepaliveIntervalNanos();
        this.count = config.keepaliveCount();
    }

    /** SO_KEEPALIVE. */
    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean on) {
        if (on && !enabled) {
            probesSent = 0; // a fresh start: Linux counts probes anew when keep-alive is switched on
        }
        this.enabled = on;
    }

    /** TCP_KEEPIDLE: silence before the first probe. */
    public long idleNanos() {
        return idleNanos;
    }

    public void setIdleNanos(long nanos) {
        this.idleNanos = positive("idleNanos", nanos);
    }

    /** TCP_KEEPINTVL: time between unanswered probes. */
    public long intervalNanos() {
        return intervalNanos;
    }

    public void setIntervalNanos(long nanos) {
        this.intervalNanos = positive("intervalNanos", nanos);
    }

    /** TCP_KEEPCNT: unanswered probes before the connection is aborted. */
    public int count() {
        return count;
    }

    public void setCount(int probes) {
        if (probes < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + probes);
        }
        this.count = probes;
    }

    /** Unanswered probes sent since the peer was last heard. */
    public int probesSent() {
        return probesSent;
    }

    private static long positive(String name, long nanos) {
        if (nanos < 1 || nanos > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException(name + " must be in [1, " + Long.MAX_VALUE / 4 + "]: " + nanos);
        }
        return nanos;
    }

    /** The connection became synchronized (ESTABLISHED) at {@code nowNanos}. */
    void start(long nowNanos) {
        running = true;
        heard(nowNanos);
    }

    /** The connection left the states that probe (closing, TIME-WAIT, CLOSED). */
    void stop() {
        running = false;
    }

    /** A segment arrived from the peer: it is alive, the idle time starts again. */
    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
        probesSent = 0;
    }

    /** When {@link #onTimer} next has something to do, or {@link TcpConnection#NO_DEADLINE}. */
    long deadlineNanos() {
        if (!enabled || !running) {
            return TcpConnection.NO_DEADLINE;
        }
        return probesSent == 0 ? lastHeardNanos + idleNanos : lastProbeNanos + intervalNanos;
    }

    /**
     * Called at or after the deadline.
     *
     * @param dataOutstanding sent data is unacknowledged: the retransmission timer watches the
     *     peer, so the keep-alive timer starts over (as Linux does)
     */
    Action onTimer(long nowNanos, boolean dataOutstanding) {
        if (nowNanos < deadlineNanos()) {
            return Action.NONE;
        }
        if (dataOutstanding) {
            heard(nowNanos);
            return Action.NONE;
        }
        if (probesSent >= count) {
            running = false;
            return Action.ABORT;
        }
        probesSent++;
        lastProbeNanos = nowNanos;
        return Action.PROBE;
    }
}
