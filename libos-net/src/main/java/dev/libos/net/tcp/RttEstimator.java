package dev.libos.net.tcp;

/**
 * The retransmission timer's value per RFC 6298: SRTT and RTTVAR from RTT samples (section 2),
 * bounded by a minimum and maximum, doubled on each expiry (section 5.5) until a new sample.
 */
public final class RttEstimator {
    /** Clock granularity G of RFC 6298 section 2: the stack's timers are nanosecond exact; 1 ms is used. */
    private static final long GRANULARITY_NANOS = 1_000_000L;
    private final long minRtoNanos;
    private final long maxRtoNanos;
    private long srttNanos;
    private long rttvarNanos;
    private long rtoNanos;
    private boolean hasSample;

    /** An estimator with the initial RTO (RFC 6298 section 2.1) and bounds. */
    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos) {
        this.minRtoNanos = minRtoNanos;
        this.maxRtoNanos = maxRtoNanos;
        this.rtoNanos = initialRtoNanos;
    }

    /** Feeds one RTT measurement (never from a retransmitted segment: Karn's algorithm, section 3). */
    public void sample(long rttNanos) {
        long r = Math.max(0, rttNanos);
        if (!hasSample) {
            // RFC 6298 (2.2): SRTT = R, RTTVAR = R/2.
            srttNanos = r;
            rttvarNanos = r / 2;
            hasSample = true;
        } else {
            // RFC 6298 (2.3): RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, then SRTT = 7/8 SRTT + 1/8 R'.
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - r)) / 4;
            srttNanos = (7 * srttNanos + r) / 8;
        }
        // RFC 6298 (2.2)/(2.3): RTO = SRTT + max(G, K*RTTVAR) with K = 4; (2.4)/(2.5) bounds.
        rtoNanos = clamp(srttNanos + Math.max(GRANULARITY_NANOS, 4 * rttvarNanos));
    }

    /** Doubles the RTO after an expiry (RFC 6298 section 5.5), up to the maximum. */
    public void backOff() {
        rtoNanos = Math.min(maxRtoNanos, rtoNanos > maxRtoNanos / 2 ? maxRtoNanos : rtoNanos * 2);
    }

    private long clamp(long rto) {
        return Math.min(maxRtoNanos, Math.max(minRtoNanos, rto));
    }

    /** The current retransmission timeout. */
    public long rtoNanos() {
        return rtoNanos;
    }

    /** SRTT, or 0 before the first sample. */
    public long smoothedRttNanos() {
        return srttNanos;
    }

    /** RTTVAR, or 0 before the first sample. */
    public long rttVariationNanos() {
        return rttvarNanos;
    }

    /** True once a sample was taken. */
    public boolean hasSample() {
        return hasSample;
    }
}
