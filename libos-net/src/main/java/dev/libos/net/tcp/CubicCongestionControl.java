package dev.libos.net.tcp;

/**
 * CUBIC (RFC 9438). Window arithmetic is in segments as doubles, as the RFC writes it; the
 * connection sees bytes. Slow start is RFC 5681's (no HyStart++).
 */
public final class CubicCongestionControl implements CongestionControl {
    /** RFC 9438 section 5: C = 0.4. */
    public static final double C = 0.4;
    /** RFC 9438 section 4.6: beta_cubic = 0.7. */
    public static final double BETA = 0.7;
    /** RFC 9438 section 4.3: alpha_cubic = 3 (1 - beta) / (1 + beta). */
    public static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private int mss;
    private long cwnd;
    private long ssthresh;
    private double wMax;
    private double k;
    private double wEst;
    private double cwndPrior;
    private long epochStartNanos = -1;

    @Override
    public void init(int mss, long initialWindowBytes, long nowNanos) {
        this.mss = mss;
        this.cwnd = initialWindowBytes;
        this.ssthresh = Long.MAX_VALUE / 4;
        this.wMax = 0;
        this.epochStartNanos = -1;
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

    /** W_max in segments: the window before the last reduction. */
    public double windowMaxSegments() {
        return wMax;
    }

    /** K in seconds: when the cubic function reaches W_max again (RFC 9438 equation 2). */
    public double kSeconds() {
        return k;
    }

    /** W_cubic(t) of RFC 9438 equation 1, in segments, for {@code t} seconds into the epoch. */
    public double cubicWindowSegments(double tSeconds) {
        double d = tSeconds - k;
        return C * d * d * d + wMax;
    }

    @Override
    public void onAck(long ackedBytes, long flightBytes, long smoothedRttNanos, long nowNanos) {
        if (cwnd < ssthresh) {
            // RFC 9438 section 4.10: slow start as RFC 5681 (byte counting with L = 1 SMSS).
            cwnd += Math.min(ackedBytes, mss);
            return;
        }
        double cwndSegments = (double) cwnd / mss;
        if (epochStartNanos < 0) {
            // RFC 9438 section 4.2: a new congestion-avoidance epoch starts with the first ACK.
            epochStartNanos = nowNanos;
            if (wMax <= cwndSegments) {
                wMax = cwndSegments;
                k = 0;
            } else {
                k = Math.cbrt((wMax - cwndSegments) / C);
            }
            wEst = cwndSegments;
        }
        double t = (nowNanos - epochStartNanos) / 1e9;
        double rtt = smoothedRttNanos / 1e9;
        double segmentsAcked = (double) ackedBytes / mss;
        // RFC 9438 section 4.3: the Reno-friendly estimate; alpha becomes 1 once W_est reaches cwnd_prior.
        double alpha = wEst >= cwndPrior ? 1.0 : ALPHA;
        wEst += alpha * segmentsAcked / cwndSegments;
        double wCubic = cubicWindowSegments(t);
        if (wCubic < wEst) {
            // Reno-friendly region: cwnd follows W_est.
            cwnd = Math.max(cwnd, (long) (wEst * mss));
            return;
        }
        // RFC 9438 section 4.4/4.5: the target is W_cubic(t + RTT), clamped to [cwnd, 1.5 cwnd];
        // cwnd grows by (target - cwnd) / cwnd per segment acknowledged.
        double target = Math.min(Math.max(cubicWindowSegments(t + rtt), cwndSegments), 1.5 * cwndSegments);
        double growthSegments = (target - cwndSegments) / cwndSegments * segmentsAcked;
        cwnd += (long) (growthSegments * mss);
    }

    @Override
    public void onCongestionEvent(long flightBytes, long nowNanos) {
        reduce();
        cwnd = ssthresh;
    }

    @Override
    public void onRetransmitTimeout(long flightBytes, long nowNanos) {
        reduce();
        // RFC 9438 section 4.8: after an RTO cwnd is the loss window, one segment.
        cwnd = mss;
    }

    private void reduce() {
        double cwndSegments = (double) cwnd / mss;
        cwndPrior = cwndSegments;
        // RFC 9438 section 4.7: fast convergence releases bandwidth to new flows.
        if (cwndSegments < wMax) {
            wMax = cwndSegments * (1 + BETA) / 2;
        } else {
            wMax = cwndSegments;
        }
        // RFC 9438 section 4.6: ssthresh = max(cwnd * beta_cubic, 2 SMSS).
        ssthresh = Math.max((long) (cwnd * BETA), 2L * mss);
        epochStartNanos = -1;
    }

    @Override
    public String name() {
        return "cubic";
    }
}
