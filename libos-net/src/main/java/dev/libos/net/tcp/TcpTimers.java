package dev.libos.net.tcp;

import static dev.libos.net.tcp.TcpConnection.NO_DEADLINE;

/**
 * The timers of one {@link TcpConnection}: four deadlines on the libos clock and the backoff
 * state they carry, plus the keep-alive timer's deadline, which {@link KeepAlive} keeps. A
 * deadline is {@link TcpConnection#NO_DEADLINE} while its timer is stopped. Nothing here reads
 * a clock or sends: the connection arms and stops the timers and asks which are due
 * ({@code take...}), and does what a timer calls for. Single owner, like its connection.
 */
final class TcpTimers {
    /**
     * Retransmission timer (RFC 6298 section 5): when the oldest unacknowledged segment (or the
     * SYN) is sent again. Running while data or a SYN/FIN is unacknowledged.
     */
    private long retransmitAt = NO_DEADLINE;
    /**
     * Delayed acknowledgement (RFC 9293 section 3.8.6.3, RFC 1122 section 4.2.3.2): the latest
     * time an ACK owed for received data is sent. Running while data is received but unacknowledged.
     */
    private long delayedAckAt = NO_DEADLINE;
    /**
     * Persist timer (RFC 9293 section 3.8.6.1): when the next zero-window probe goes. Running
     * while the peer's window is zero, data waits and nothing is in flight.
     */
    private long persistAt = NO_DEADLINE;
    /** 2 MSL after entering TIME-WAIT (RFC 9293 section 3.10.8): when the connection is deleted. */
    private long timeWaitEndsAt = NO_DEADLINE;
    /**
     * Retransmission timeouts in a row since data (or the SYN) was last acknowledged: compared
     * with the R2 limits (RFC 9293 section 3.8.3); an RTT is sampled only while it is 0 (Karn).
     */
    private int retransmits;
    /** Zero-window probes in a row without the window opening: the persist interval's exponent. */
    private int persistBackoff;

    /** The earliest deadline, the keep-alive deadline {@code keepAliveAt} included. */
    long next(long keepAliveAt) {
        return Math.min(Math.min(Math.min(retransmitAt, delayedAckAt), Math.min(persistAt, timeWaitEndsAt)),
                keepAliveAt);
    }

    // ---- retransmission

    /** (Re)starts the retransmission timer to fire {@code rtoNanos} after {@code nowNanos}. */
    void restartRetransmit(long nowNanos, long rtoNanos) {
        retransmitAt = at(nowNanos, rtoNanos);
    }

    /** Starts the retransmission timer unless it is running (RFC 6298 section 5.1). */
    void startRetransmitIfStopped(long nowNanos, long rtoNanos) {
        if (retransmitAt == NO_DEADLINE) {
            retransmitAt = at(nowNanos, rtoNanos);
        }
    }

    /** After an acknowledgement: stopped when all is acknowledged, else restarted (RFC 6298 sections 5.2, 5.3). */
    void onAcknowledged(boolean allAcknowledged, long nowNanos, long rtoNanos) {
        retransmits = 0;
        retransmitAt = allAcknowledged ? NO_DEADLINE : at(nowNanos, rtoNanos);
    }

    /** True, and the timer stopped, when the retransmission timer is due at {@code nowNanos}. */
    boolean takeRetransmit(long nowNanos) {
        if (!take(retransmitAt, nowNanos)) {
            return false;
        }
        retransmitAt = NO_DEADLINE;
        return true;
    }

    /** New data was acknowledged: the timeouts in a row start again from zero. */
    void clearRetransmits() {
        retransmits = 0;
    }

    /** Counts one more timeout; the count after it. */
    int countRetransmit() {
        return ++retransmits;
    }

    /** Retransmission timeouts since the last acknowledgement. */
    int retransmits() {
        return retransmits;
    }

    long retransmitAt() {
        return retransmitAt;
    }

    // ---- delayed ACK

    /** Starts the delayed-ACK timer unless it is running: the ACK goes at most {@code delayNanos} late. */
    void startDelayedAckIfStopped(long nowNanos, long delayNanos) {
        if (delayedAckAt == NO_DEADLINE) {
            delayedAckAt = at(nowNanos, delayNanos);
        }
    }

    /** An ACK went: nothing is owed any more. */
    void stopDelayedAck() {
        delayedAckAt = NO_DEADLINE;
    }

    /** True, and the timer stopped, when the delayed-ACK timer is due at {@code nowNanos}. */
    boolean takeDelayedAck(long nowNanos) {
        if (!take(delayedAckAt, nowNanos)) {
            return false;
        }
        delayedAckAt = NO_DEADLINE;
        return true;
    }

    long delayedAckAt() {
        return delayedAckAt;
    }

    // ---- persist

    /** Starts the persist timer unless it is running, at the interval its backoff gives. */
    void startPersistIfStopped(long nowNanos, long rtoNanos, long maxRtoNanos) {
        if (persistAt == NO_DEADLINE) {
            persistAt = at(nowNanos, persistIntervalNanos(rtoNanos, maxRtoNanos));
        }
    }

    /** Stops the persist timer, keeping its backoff (the window may still be zero). */
    void stopPersist() {
        persistAt = NO_DEADLINE;
    }

    /** The window opened: the persist timer stops and its backoff starts again from zero. */
    void onWindowOpen() {
        persistAt = NO_DEADLINE;
        persistBackoff = 0;
    }

    /** True, and the timer stopped, when the persist timer is due at {@code nowNanos}. */
    boolean takePersist(long nowNanos) {
        if (!take(persistAt, nowNanos)) {
            return false;
        }
        persistAt = NO_DEADLINE;
        return true;
    }

    /** A probe went: the next one waits twice as long (RFC 9293 section 3.8.6.1; capped at {@code maxRtoNanos}). */
    void onProbeSent(long nowNanos, long rtoNanos, long maxRtoNanos) {
        persistBackoff = Math.min(persistBackoff + 1, 30);
        persistAt = at(nowNanos, persistIntervalNanos(rtoNanos, maxRtoNanos));
    }

    /** The persist interval: the RTO doubled per unanswered probe, within [RTO, max RTO]. */
    long persistIntervalNanos(long rtoNanos, long maxRtoNanos) {
        long interval = persistBackoff >= 20 ? maxRtoNanos : rtoNanos << persistBackoff;
        return Math.min(maxRtoNanos, Math.max(rtoNanos, interval));
    }

    long persistAt() {
        return persistAt;
    }

    // ---- TIME-WAIT and closing

    /** Entering TIME-WAIT: the other timers stop; the connection ends {@code twoMslNanos} from now. */
    void enterTimeWait(long nowNanos, long twoMslNanos) {
        stopAll();
        timeWaitEndsAt = at(nowNanos, twoMslNanos);
    }

    /** A retransmitted FIN in TIME-WAIT restarts the 2 MSL timer (RFC 9293 section 3.10.7.4). */
    void restartTimeWait(long nowNanos, long twoMslNanos) {
        timeWaitEndsAt = at(nowNanos, twoMslNanos);
    }

    /** True when the TIME-WAIT timer is due at {@code nowNanos}. */
    boolean timeWaitOver(long nowNanos) {
        return take(timeWaitEndsAt, nowNanos);
    }

    long timeWaitEndsAt() {
        return timeWaitEndsAt;
    }

    /** Stops every timer (the connection closed). */
    void stopAll() {
        retransmitAt = NO_DEADLINE;
        delayedAckAt = NO_DEADLINE;
        persistAt = NO_DEADLINE;
        timeWaitEndsAt = NO_DEADLINE;
    }

    private static boolean take(long deadline, long nowNanos) {
        return deadline != NO_DEADLINE && nowNanos >= deadline;
    }

    /** {@code nowNanos + delayNanos}, saturating below {@link TcpConnection#NO_DEADLINE} (a stopped timer). */
    private static long at(long nowNanos, long delayNanos) {
        long sum = nowNanos + delayNanos;
        if (((nowNanos ^ sum) & (delayNanos ^ sum)) < 0 || sum == NO_DEADLINE) {
            return NO_DEADLINE - 1;
        }
        return sum;
    }
}
