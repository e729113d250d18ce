package dev.libos.net.tcp;

import static dev.libos.net.tcp.TcpConnection.NO_DEADLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TcpTimersTest {
    private static final long RTO = 200;
    private static final long MAX_RTO = 5_000;

    private final TcpTimers timers = new TcpTimers();

    @Test
    void allTimersStartStopped() {
        assertEquals(NO_DEADLINE, timers.next(NO_DEADLINE));
        assertFalse(timers.takeRetransmit(Long.MAX_VALUE - 1));
        assertFalse(timers.takeDelayedAck(Long.MAX_VALUE - 1));
        assertFalse(timers.takePersist(Long.MAX_VALUE - 1));
        assertFalse(timers.timeWaitOver(Long.MAX_VALUE - 1));
    }

    @Test
    void nextIsTheEarliestDeadlineKeepAliveIncluded() {
        timers.startRetransmitIfStopped(1000, RTO);
        timers.startDelayedAckIfStopped(1000, 40);
        assertEquals(1040, timers.next(NO_DEADLINE));
        assertEquals(1010, timers.next(1010));
        timers.stopDelayedAck();
        assertEquals(1200, timers.next(NO_DEADLINE));
    }

    @Test
    void retransmitStartsOnceFiresOnceAndStopsWhenAllIsAcknowledged() {
        timers.startRetransmitIfStopped(0, RTO);
        timers.startRetransmitIfStopped(150, RTO); // running: RFC 6298 5.1 does not restart it
        assertEquals(RTO, timers.retransmitAt());
        assertFalse(timers.takeRetransmit(RTO - 1));
        assertTrue(timers.takeRetransmit(RTO));
        assertFalse(timers.takeRetransmit(RTO), "taken: stopped until armed again");
        assertEquals(1, timers.countRetransmit());
        timers.restartRetransmit(RTO, 2 * RTO);
        assertEquals(2, timers.countRetransmit());
        timers.onAcknowledged(false, 700, RTO);
        assertEquals(0, timers.retransmits());
        assertEquals(900, timers.retransmitAt());
        timers.onAcknowledged(true, 800, RTO);
        assertEquals(NO_DEADLINE, timers.retransmitAt());
    }

    @Test
    void delayedAckIsNotPostponedByMoreData() {
        timers.startDelayedAckIfStopped(0, 40);
        timers.startDelayedAckIfStopped(30, 40);
        assertEquals(40, timers.delayedAckAt());
        assertTrue(timers.takeDelayedAck(45));
        assertEquals(NO_DEADLINE, timers.delayedAckAt());
    }

    @Test
    void persistBacksOffExponentiallyWithinTheMaximumAndResetsWhenTheWindowOpens() {
        timers.startPersistIfStopped(0, RTO, MAX_RTO);
        assertEquals(RTO, timers.persistAt());
        long now = RTO;
        long[] intervals = new long[8];
        for (int i = 0; i < intervals.length; i++) {
            assertTrue(timers.takePersist(now));
            timers.onProbeSent(now, RTO, MAX_RTO);
            intervals[i] = timers.persistAt() - now;
            now = timers.persistAt();
        }
        assertEquals(2 * RTO, intervals[0]);
        assertEquals(4 * RTO, intervals[1]);
        assertEquals(16 * RTO, intervals[3]);
        assertEquals(MAX_RTO, intervals[4], "capped at the maximum RTO");
        assertEquals(MAX_RTO, intervals[7]);
        timers.stopPersist();
        timers.startPersistIfStopped(now, RTO, MAX_RTO);
        assertEquals(MAX_RTO, timers.persistAt() - now, "stopping alone keeps the backoff");
        timers.onWindowOpen();
        assertEquals(NO_DEADLINE, timers.persistAt());
        timers.startPersistIfStopped(now, RTO, MAX_RTO);
        assertEquals(RTO, timers.persistAt() - now, "an open window starts the backoff again");
    }

    @Test
    void persistIntervalSurvivesAHugeBackoffWithoutOverflow() {
        for (int i = 0; i < 100; i++) {
            timers.onProbeSent(0, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2);
        }
        assertEquals(Long.MAX_VALUE / 2, timers.persistIntervalNanos(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2));
    }

    @Test
    void timeWaitStopsTheOtherTimersAndARetransmittedFinRestartsIt() {
        timers.startRetransmitIfStopped(0, RTO);
        timers.startDelayedAckIfStopped(0, 40);
        timers.startPersistIfStopped(0, RTO, MAX_RTO);
        timers.enterTimeWait(100, 1_000);
        assertEquals(NO_DEADLINE, timers.retransmitAt());
        assertEquals(NO_DEADLINE, timers.delayedAckAt());
        assertEquals(NO_DEADLINE, timers.persistAt());
        assertEquals(1_100, timers.next(NO_DEADLINE));
        timers.restartTimeWait(600, 1_000);
        assertFalse(timers.timeWaitOver(1_100));
        assertTrue(timers.timeWaitOver(1_600));
        timers.stopAll();
        assertEquals(NO_DEADLINE, timers.next(NO_DEADLINE));
    }

    @Test
    void aDeadlineBeyondTheClockRangeSaturatesInsteadOfWrapping() {
        timers.restartRetransmit(Long.MAX_VALUE - 10, 1_000);
        assertEquals(NO_DEADLINE - 1, timers.retransmitAt(), "still armed, never in the past");
        assertFalse(timers.takeRetransmit(Long.MAX_VALUE - 10));
    }
}
