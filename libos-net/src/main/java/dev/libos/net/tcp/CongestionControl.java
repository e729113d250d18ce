package dev.libos.net.tcp;

/**
 * A congestion-control algorithm: how the congestion window grows on ACKs and shrinks on loss.
 * The connection owns loss detection and fast recovery (RFC 5681 section 3.2, RFC 6582): it
 * calls {@link #onAck} outside recovery only, and inflates or deflates the window during
 * recovery through {@link #setCongestionWindow}. Windows are in bytes.
 */
public interface CongestionControl {
    /** Starts the connection: {@code mss} is the sender MSS, {@code initialWindowBytes} the initial window. */
    void init(int mss, long initialWindowBytes, long nowNanos);

    /** Congestion window, bytes. */
    long congestionWindow();

    /** Slow-start threshold, bytes. */
    long slowStartThreshold();

    /** Sets the window (fast recovery's inflation and deflation). */
    void setCongestionWindow(long bytes);

    /**
     * New data acknowledged outside recovery.
     *
     * @param ackedBytes bytes newly acknowledged
     * @param flightBytes bytes in flight before this ACK
     * @param smoothedRttNanos the current SRTT (0 before the first sample)
     */
    void onAck(long ackedBytes, long flightBytes, long smoothedRttNanos, long nowNanos);

    /** Loss detected by duplicate ACKs (entering fast recovery): sets ssthresh and the window to it. */
    void onCongestionEvent(long flightBytes, long nowNanos);

    /** Retransmission timeout: sets ssthresh and the window to the loss window of one segment. */
    void onRetransmitTimeout(long flightBytes, long nowNanos);

    /** A name for display ("cubic", "newreno"). */
    String name();
}
