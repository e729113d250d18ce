package dev.libos.net.tcp;

/**
 * The window rules of RFC 5681 (slow start, congestion avoidance by appropriate byte counting,
 * ssthresh on loss), which with the connection's fast recovery make NewReno (RFC 6582).
 */
public final class NewRenoCongestionControl implements CongestionControl {
    private int mss;
    private long cwnd;
    private long ssthresh;
    private long bytesAckedInAvoidance;

    @Override
    public void init(int mss, long initialWindowBytes, long nowNanos) {
        this.mss = mss;
        this.cwnd = initialWindowBytes;
        // RFC 5681 section 3.1: the initial ssthresh SHOULD be arbitrarily high.
        this.ssthresh = Long.MAX_VALUE / 4;
    }

    @Override
    public long congestionWindow() {
        return cwnd;
    }

    @Override
    public long slowStartThreshold() {
        return ssthresh;
    }

    @Override
    public void setCongestionWindow(long bytes) {
        cwnd = Math.max(mss, bytes);
    }

    @Override
    public void onAck(long ackedBytes, long flightBytes, long smoothedRttNanos, long nowNanos) {
        if (cwnd < ssthresh) {
            // RFC 5681 section 3.1 (3): cwnd += min(N, SMSS) per ACK during slow start.
            cwnd += Math.min(ackedBytes, mss);
            return;
        }
        // RFC 5681 section 3.1 (2), byte counting (RFC 3465): one SMSS per window of bytes acknowledged.
        bytesAckedInAvoidance += ackedBytes;
        if (bytesAckedInAvoidance >= cwnd) {
            bytesAckedInAvoidance -= cwnd;
            cwnd += mss;
        }
    }

    @Override
    public void onCongestionEvent(long flightBytes, long nowNanos) {
        // RFC 5681 equation (4): ssthresh = max(FlightSize / 2, 2*SMSS).
        ssthresh = Math.max(flightBytes / 2, 2L * mss);
        cwnd = ssthresh;
        bytesAckedInAvoidance = 0;
    }

    @Override
    public void onRetransmitTimeout(long flightBytes, long nowNanos) {
        ssthresh = Math.max(flightBytes / 2, 2L * mss);
        // RFC 5681 section 3.1: after a timeout cwnd is the loss window, one full-sized segment.
        cwnd = mss;
        bytesAckedInAvoidance = 0;
    }

    @Override
    public String name() {
        return "newreno";
    }
}
