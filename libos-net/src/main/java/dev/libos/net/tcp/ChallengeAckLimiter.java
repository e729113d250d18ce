package dev.libos.net.tcp;

/**
 * The rate limit on challenge ACKs of RFC 5961 section 7 ("an implementation SHOULD include
 * an ACK throttling mechanism"): at most {@code limitPerSecond} in any one-second window.
 * One instance may be shared by all connections of a layer (the RFC's system-wide limit).
 */
public final class ChallengeAckLimiter {
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private final int limitPerSecond;
    private long windowStartNanos = Long.MIN_VALUE;
    private int sentInWindow;

    /** @param limitPerSecond challenge ACKs allowed per second, at least 1 */
    public ChallengeAckLimiter(int limitPerSecond) {
        if (limitPerSecond < 1) {
            throw new IllegalArgumentException("limitPerSecond must be >= 1: " + limitPerSecond);
        }
        this.limitPerSecond = limitPerSecond;
    }

    /** True (and counted) when a challenge ACK may go out at {@code nowNanos}. */
    public boolean tryAcquire(long nowNanos) {
        if (windowStartNanos == Long.MIN_VALUE || nowNanos - windowStartNanos >= WINDOW_NANOS) {
            windowStartNanos = nowNanos;
            sentInWindow = 0;
        }
        if (sentInWindow >= limitPerSecond) {
            return false;
        }
        sentInWindow++;
        return true;
    }
}
