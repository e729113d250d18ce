package dev.libos.net.tcp;

import static dev.libos.net.tcp.TcpHarness.IRS;
import static dev.libos.net.tcp.TcpHarness.ISS;
import static dev.libos.net.tcp.TcpHarness.MSS;
import static dev.libos.net.tcp.TcpHarness.bytes;
import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.FIN;
import static dev.libos.net.wire.TcpFlags.PSH;
import static dev.libos.net.wire.TcpFlags.RST;
import static dev.libos.net.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.wire.SackBlock;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-state tests: segments fed at explicit instants, outputs checked segment by segment. */
class TcpConnectionTest {
    private static final long MS = 1_000_000L;

    private static TcpHarness harness() {
        return new TcpHarness(TcpHarness.plain().build());
    }

    private static int send(TcpConnection c, byte[] data) {
        return c.send(MemorySegment.ofArray(data));
    }

    private static byte[] read(TcpConnection c, int max) {
        byte[] buf = new byte[max];
        int n = c.receive(MemorySegment.ofArray(buf));
        return java.util.Arrays.copyOf(buf, Math.max(0, n));
    }

    // ---------------------------------------------------------------- opening

    @Test
    void activeOpenSendsSynWithMssAndCompletesOnSynAck() {
        TcpHarness h = harness();
        h.connection = TcpConnection.connect(h.config, h, h.limiter, 1000, 2000, ISS, MSS, 0);
        assertEquals(TcpState.SYN_SENT, h.connection.state());
        TcpHarness.Sent syn = h.next();
        assertEquals(SYN, syn.flags());
        assertEquals(ISS, syn.seq());
        assertEquals(MSS, syn.header().options().maxSegmentSize());
        h.now = 20 * MS;
        h.feed(SYN | ACK, IRS, ISS + 1, 30000, new TcpOptions(500, TcpOptions.ABSENT, false, List.of(), null),
                new byte[0]);
        assertEquals(TcpState.ESTABLISHED, h.connection.state());
        assertEquals(500, h.connection.sendMss(), "send MSS is the smaller of the two");
        assertEquals(30000, h.connection.sendWindow());
        TcpHarness.Sent ack = h.next();
        assertEquals(ACK, ack.flags());
        assertEquals(ISS + 1, ack.seq());
        assertEquals(IRS + 1, ack.ack());
        assertEquals(20 * MS, h.connection.rttEstimator().smoothedRttNanos(), "handshake RTT sampled");
    }

    @Test
    void synSentRejectsBadAckWithResetAndAcceptsRstOnlyWithGoodAck() {
        TcpHarness h = harness();
        h.connection = TcpConnection.connect(h.config, h, h.limiter, 1000, 2000, ISS, MSS, 0);
        h.next();
        h.feed(SYN | ACK, IRS, ISS + 5, 1000);
        TcpHarness.Sent rst = h.next();
        assertEquals(RST, rst.flags());
        assertEquals(ISS + 5, rst.seq(), "<SEQ=SEG.ACK><CTL=RST>");
        assertEquals(TcpState.SYN_SENT, h.connection.state());
        h.feed(RST, 0, 0, 0);
        assertEquals(TcpState.SYN_SENT, h.connection.state(), "RST without ACK ignored in SYN-SENT");
        h.feed(RST | ACK, 0, ISS + 1, 0);
        assertEquals(TcpState.CLOSED, h.connection.state());
        assertEquals(TcpCloseReason.REFUSED, h.connection.closeReason());
    }

    @Test
    void passiveOpenAnswersSynAndEstablishesOnAck() {
        TcpHarness h = harness();
        TcpRepr syn = TcpHarness.segment(SYN, IRS, 0, 4000, new TcpOptions(1200, TcpOptions.ABSENT, false, List.of(),
                null), 0);
        h.connection = TcpConnection.accept(h.config, h, h.limiter, ISS, MSS, syn, 0);
        assertEquals(TcpState.SYN_RECEIVED, h.connection.state());
        TcpHarness.Sent synAck = h.next();
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(IRS + 1, synAck.ack());
        // The peer retransmits its SYN: the SYN-ACK goes again.
        h.feed(SYN, IRS, 0, 4000);
        assertEquals(SYN | ACK, h.next().flags());
        h.feed(ACK, IRS + 1, ISS + 1, 4000);
        assertEquals(TcpState.ESTABLISHED, h.connection.state());
        assertEquals(MSS, h.connection.sendMss());
    }

    @Test
    void synReceivedAnswersBadAckWithReset() {
        TcpHarness h = harness();
        TcpRepr syn = TcpHarness.segment(SYN, IRS, 0, 4000, TcpOptions.NONE, 0);
        h.connection = TcpConnection.accept(h.config, h, h.limiter, ISS, MSS, syn, 0);
        h.next();
        h.feed(ACK, IRS + 1, ISS + 77, 4000);
        TcpHarness.Sent rst = h.next();
        assertEquals(RST, rst.flags());
        assertEquals(ISS + 77, rst.seq());
        assertEquals(TcpState.SYN_RECEIVED, h.connection.state());
    }

    @Test
    void simultaneousOpen() {
        TcpHarness h = harness();
        h.connection = TcpConnection.connect(h.config, h, h.limiter, 1000, 2000, ISS, MSS, 0);
        h.next();
        h.feed(SYN, IRS, 0, 5000);
        assertEquals(TcpState.SYN_RECEIVED, h.connection.state());
        TcpHarness.Sent synAck = h.next();
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(ISS, synAck.seq());
        assertEquals(IRS + 1, synAck.ack());
        // The peer's SYN-ACK (its SYN again, acknowledging ours).
        h.feed(SYN | ACK, IRS, ISS + 1, 5000);
        assertEquals(TcpState.ESTABLISHED, h.connection.state());
        assertEquals(ACK, h.next().flags());
    }

    @Test
    void synRetransmissionsBackOffThenTimeOut() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().maxSynRetransmissions(2).build());
        h.connection = TcpConnection.connect(h.config, h, h.limiter, 1000, 2000, ISS, MSS, 0);
        h.next();
        assertEquals(1000 * MS, h.connection.nextDeadlineNanos());
        h.poll(1000 * MS);
        assertEquals(SYN, h.next().flags());
        assertEquals(3000 * MS, h.connection.nextDeadlineNanos(), "RTO doubled");
        h.poll(3000 * MS);
        assertEquals(SYN, h.next().flags());
        h.poll(7000 * MS);
        assertEquals(TcpState.CLOSED, h.connection.state());
        assertEquals(TcpCloseReason.TIMEOUT, h.connection.closeReason());
        h.assertNothingSent();
    }

    @Test
    void optionsNegotiated() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().windowScaling(true).receiveBufferBytes(1 << 20)
                .timestamps(true).sack(true).build());
        h.connection = TcpConnection.connect(h.config, h, h.limiter, 1000, 2000, ISS, MSS, 0);
        TcpOptions offered = h.next().header().options();
        assertEquals(5, offered.windowScale(), "1 MiB needs a shift of 5");
        assertTrue(offered.sackPermitted());
        assertTrue(offered.timestamps() != null);
        h.feed(SYN | ACK, IRS, ISS + 1, 1000, new TcpOptions(MSS, 7, true, List.of(),
                new dev.libos.net.wire.TcpTimestamps(42, offered.timestamps().value())), new byte[0]);
        assertArrayEquals(new boolean[] {true, true, true}, h.connection.negotiatedOptions());
        assertArrayEquals(new int[] {5, 7}, h.connection.windowShifts());
        TcpHarness.Sent ack = h.next();
        assertEquals(42, ack.header().options().timestamps().echoReply());
        assertEquals((1 << 20) >> 5, ack.header().window());
        // Window updates are scaled by the peer's shift.
        h.feed(ACK, IRS + 1, ISS + 1, 100, TcpHarness.timestamps(43, 0), new byte[0]);
        assertEquals(100L << 7, h.connection.sendWindow());
    }

    // ---------------------------------------------------------------- data

    @Test
    void dataIsDeliveredInOrderAndOutOfOrderReassembled() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        byte[] a = bytes(500, 1);
        byte[] b = bytes(500, 2);
        h.feed(ACK, IRS + 501, ISS + 1, 65535, TcpOptions.NONE, b);
        TcpHarness.Sent dupAck = h.next();
        assertEquals(IRS + 1, dupAck.ack(), "out of order: immediate duplicate ACK");
        assertEquals(0, c.availableToRead());
        h.feed(ACK, IRS + 1, ISS + 1, 65535, TcpOptions.NONE, a);
        assertEquals(IRS + 1001, h.next().ack(), "hole filled: immediate ACK");
        byte[] got = read(c, 2000);
        assertEquals(1000, got.length);
        assertArrayEquals(a, java.util.Arrays.copyOfRange(got, 0, 500));
        assertArrayEquals(b, java.util.Arrays.copyOfRange(got, 500, 1000));
    }

    @Test
    void sackBlocksReportOutOfOrderRangesMostRecentFirst() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().sack(true).build());
        TcpConnection c = h.established(new TcpOptions(MSS, TcpOptions.ABSENT, true, List.of(), null));
        h.feed(ACK, IRS + 1001, ISS + 1, 65535, TcpOptions.NONE, bytes(100, 1));
        assertEquals(List.of(new SackBlock(IRS + 1001, IRS + 1101)), h.next().header().options().sackBlocks());
        h.feed(ACK, IRS + 2001, ISS + 1, 65535, TcpOptions.NONE, bytes(100, 1));
        assertEquals(List.of(new SackBlock(IRS + 2001, IRS + 2101), new SackBlock(IRS + 1001, IRS + 1101)),
                h.next().header().options().sackBlocks());
        assertEquals(2, c.counters().get(TcpCounter.OUT_OF_ORDER_SEGMENTS));
    }

    @Test
    void reassemblyIsBounded() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().maxOutOfOrderRanges(2).build());
        TcpConnection c = h.established();
        h.feed(ACK, IRS + 101, ISS + 1, 65535, TcpOptions.NONE, bytes(10, 1));
        h.feed(ACK, IRS + 201, ISS + 1, 65535, TcpOptions.NONE, bytes(10, 1));
        h.feed(ACK, IRS + 301, ISS + 1, 65535, TcpOptions.NONE, bytes(10, 1));
        assertEquals(1, c.counters().get(TcpCounter.OUT_OF_ORDER_DROPS));
        h.feed(ACK, IRS + 111, ISS + 1, 65535, TcpOptions.NONE, bytes(10, 1));
        assertEquals(1, c.counters().get(TcpCounter.OUT_OF_ORDER_DROPS), "extending a range is allowed");
    }

    @Test
    void dataBeyondTheWindowIsTrimmed() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(ACK, IRS + 1, ISS + 1, 65535, TcpOptions.NONE, bytes(9000, 3));
        assertEquals(8192, c.availableToRead());
        TcpHarness.Sent ack = h.next();
        assertEquals(IRS + 1 + 8192, ack.ack());
        assertEquals(0, ack.header().window());
        assertEquals(1, c.counters().get(TcpCounter.WINDOW_TRIMMED_SEGMENTS));
    }

    @Test
    void delayedAckWaitsForTimerOrSecondFullSegment() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(ACK | PSH, IRS + 1, ISS + 1, 65535, TcpOptions.NONE, bytes(MSS, 1));
        h.assertNothingSent();
        assertEquals(h.now + 40 * MS, c.nextDeadlineNanos());
        h.poll(h.now + 40 * MS - 1);
        h.assertNothingSent();
        h.poll(h.now + 1);
        assertEquals(IRS + 1 + MSS, h.next().ack());
        assertEquals(1, c.counters().get(TcpCounter.DELAYED_ACKS));
        h.feed(ACK, IRS + 1 + MSS, ISS + 1, 65535, TcpOptions.NONE, bytes(MSS, 1));
        h.assertNothingSent();
        h.feed(ACK, IRS + 1 + 2 * MSS, ISS + 1, 65535, TcpOptions.NONE, bytes(MSS, 1));
        assertEquals(IRS + 1 + 3 * MSS, h.next().ack(), "every second full segment acknowledged at once");
    }

    @Test
    void nagleHoldsSmallSegmentsWhileDataIsInFlight() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        send(c, bytes(1, 1));
        h.poll(h.now);
        assertEquals(1, h.next().data().length, "nothing in flight: the byte goes");
        send(c, bytes(1, 2));
        h.poll(h.now);
        h.assertNothingSent();
        h.feed(ACK, IRS + 1, ISS + 2, 65535);
        assertEquals(ISS + 2, h.next().seq(), "the ACK releases the held byte");

        TcpHarness n = new TcpHarness(TcpHarness.plain().noDelay(true).build());
        TcpConnection d = n.established();
        send(d, bytes(1, 1));
        n.poll(n.now);
        n.next();
        send(d, bytes(1, 2));
        n.poll(n.now);
        assertEquals(ISS + 2, n.next().seq(), "TCP_NODELAY sends at once");
    }

    @Test
    void sendRespectsPeerWindowAndMss() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(ACK, IRS + 1, ISS + 1, 2500);
        send(c, bytes(10_000, 1));
        h.poll(h.now);
        assertEquals(MSS, h.next().data().length);
        assertEquals(MSS, h.next().data().length);
        h.assertNothingSent(); // 500 more would fit, but a short segment waits (sender SWS / Nagle)
        assertEquals(2 * MSS, Integer.toUnsignedLong(c.sndNxt() - c.sndUna()));
    }

    // ---------------------------------------------------------------- RFC 5961, PAWS

    @Test
    void rstResetsOnlyAtExactSequenceNumberElseChallengeAck() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(RST, IRS + 100, 0, 0);
        TcpHarness.Sent challenge = h.next();
        assertEquals(ACK, challenge.flags());
        assertEquals(IRS + 1, challenge.ack());
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.feed(RST, IRS + 100_000, 0, 0);
        h.assertNothingSent();
        assertEquals(TcpState.ESTABLISHED, c.state(), "out-of-window RST silently dropped");
        h.feed(RST, IRS + 1, 0, 0);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpCloseReason.RESET, c.closeReason());
        assertEquals(1, c.counters().get(TcpCounter.CHALLENGE_ACKS));
    }

    @Test
    void synInSynchronizedStateGetsChallengeAck() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(SYN, IRS + 1, 0, 1000);
        assertEquals(ACK, h.next().flags());
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.feed(SYN, IRS - 5000, 0, 1000);
        assertEquals(ACK, h.next().flags(), "even out of window: challenge (or plain) ACK, never a reset");
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void challengeAcksAreRateLimited() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().challengeAcksPerSecond(2).build());
        TcpConnection c = h.established();
        for (int i = 0; i < 5; i++) {
            h.feed(RST, IRS + 10, 0, 0);
        }
        assertEquals(2, h.sent.size());
        assertEquals(3, c.counters().get(TcpCounter.CHALLENGE_ACKS_SUPPRESSED));
        h.sent.clear();
        h.now += 1000 * MS;
        h.feed(RST, IRS + 10, 0, 0);
        assertEquals(1, h.sent.size(), "a new second allows more");
    }

    @Test
    void ackOutsideValidRangeIsChallengedOrAnswered() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        send(c, bytes(100, 1));
        h.poll(h.now);
        h.next();
        h.feed(ACK, IRS + 1, ISS + 5000, 65535);
        assertEquals(ACK, h.next().flags(), "ACK of unsent data: send ACK, drop");
        assertEquals(ISS + 1, c.sndUna());
        h.feed(ACK, IRS + 1, ISS - 1_000_000, 65535);
        assertEquals(ACK, h.next().flags(), "too old: challenge ACK");
        assertEquals(1, c.counters().get(TcpCounter.CHALLENGE_ACKS));
    }

    @Test
    void pawsDropsOldTimestamps() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().timestamps(true).build());
        TcpConnection c = h.established(TcpHarness.timestamps(1000, 0));
        h.feed(ACK, IRS + 1, ISS + 1, 65535, TcpHarness.timestamps(1005, 0), bytes(10, 1));
        assertEquals(10, c.availableToRead());
        h.feed(ACK, IRS + 11, ISS + 1, 65535, TcpHarness.timestamps(1001, 0), bytes(10, 1));
        assertEquals(10, c.availableToRead(), "older TSval: dropped");
        assertEquals(1, c.counters().get(TcpCounter.PAWS_DROPS));
        assertEquals(ACK, h.sent.peekLast().flags(), "PAWS drop is acknowledged");
        h.feed(ACK, IRS + 11, ISS + 1, 65535, TcpHarness.timestamps(1006, 0), bytes(10, 1));
        assertEquals(20, c.availableToRead());
        // The echoed timestamp is TS.Recent.
        h.poll(h.now + 100 * MS);
        assertEquals(1006, h.sent.peekLast().header().options().timestamps().echoReply());
    }

    // ---------------------------------------------------------------- closing

    @Test
    void activeCloseThroughFinWait2AndTimeWait() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        c.shutdownOutput();
        assertEquals(TcpState.FIN_WAIT_1, c.state());
        h.poll(h.now);
        TcpHarness.Sent fin = h.next();
        assertEquals(ACK | FIN, fin.flags());
        h.feed(ACK, IRS + 1, ISS + 2, 65535);
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        h.feed(ACK | FIN, IRS + 1, ISS + 2, 65535);
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertEquals(IRS + 2, h.next().ack());
        long expiry = h.now + 2 * h.config.mslNanos();
        // A retransmitted FIN is acknowledged again and restarts the timer.
        h.now += 1000 * MS;
        h.feed(ACK | FIN, IRS + 1, ISS + 2, 65535);
        assertEquals(IRS + 2, h.next().ack());
        assertEquals(expiry + 1000 * MS, c.nextDeadlineNanos());
        h.poll(expiry + 1000 * MS - 1);
        assertEquals(TcpState.TIME_WAIT, c.state());
        h.poll(expiry + 1000 * MS);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpCloseReason.NORMAL, c.closeReason());
    }

    @Test
    void passiveCloseThroughCloseWaitAndLastAck() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(ACK | FIN, IRS + 1, ISS + 1, 65535, TcpOptions.NONE, bytes(5, 1));
        assertEquals(TcpState.CLOSE_WAIT, c.state());
        assertEquals(IRS + 7, h.next().ack());
        assertEquals(5, read(c, 100).length);
        assertEquals(TcpConnection.END_OF_STREAM, c.receive(MemorySegment.ofArray(new byte[10])));
        assertEquals(3, send(c, bytes(3, 1)), "CLOSE-WAIT still sends");
        c.shutdownOutput();
        assertEquals(TcpState.LAST_ACK, c.state());
        h.poll(h.now);
        TcpHarness.Sent fin = h.next();
        assertEquals(ACK | FIN, fin.flags());
        assertEquals(3, fin.data().length);
        h.feed(ACK, IRS + 7, ISS + 5, 65535);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpCloseReason.NORMAL, c.closeReason());
    }

    @Test
    void simultaneousCloseThroughClosing() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        c.shutdownOutput();
        h.poll(h.now);
        assertEquals(ACK | FIN, h.next().flags());
        h.feed(ACK | FIN, IRS + 1, ISS + 1, 65535);
        assertEquals(TcpState.CLOSING, c.state());
        assertEquals(IRS + 2, h.next().ack());
        h.feed(ACK, IRS + 2, ISS + 2, 65535);
        assertEquals(TcpState.TIME_WAIT, c.state());
    }

    @Test
    void closeWithUnreadDataResets() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(ACK, IRS + 1, ISS + 1, 65535, TcpOptions.NONE, bytes(10, 1));
        c.close();
        assertEquals(RST, h.sent.peekLast().flags());
        assertEquals(TcpCloseReason.ABORTED, c.closeReason());
    }

    // ---------------------------------------------------------------- timers

    @Test
    void retransmissionTimeoutBacksOffAndRecomputes() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        long t0 = h.now;
        send(c, bytes(100, 1));
        h.poll(t0);
        h.next();
        long rto = c.rttEstimator().rtoNanos();
        // SRTT = 10 ms from the handshake, RTTVAR = 5 ms: RTO = max(min RTO, 10 + 4 * 5) = 200 ms.
        assertEquals(200 * MS, rto);
        assertEquals(t0 + rto, c.nextDeadlineNanos());
        h.poll(t0 + rto);
        TcpHarness.Sent again = h.next();
        assertEquals(ISS + 1, again.seq());
        assertEquals(1, c.counters().get(TcpCounter.RETRANSMIT_TIMEOUTS));
        assertEquals(t0 + rto + 2 * rto, c.nextDeadlineNanos(), "backed off");
        assertEquals(h.config.maxSegmentSize() > 0 ? MSS : 0, c.congestionControl().congestionWindow(),
                "loss window of one segment");
        // Karn: the ACK of a retransmitted segment gives no sample; the backed-off RTO stays.
        h.now = t0 + rto + 50 * MS;
        h.feed(ACK, IRS + 1, ISS + 101, 65535);
        assertEquals(400 * MS, c.rttEstimator().rtoNanos());
        assertEquals(10 * MS, c.rttEstimator().smoothedRttNanos());
    }

    @Test
    void connectionTimesOutAfterMaxRetransmissions() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().maxRetransmissions(3).build());
        TcpConnection c = h.established();
        send(c, bytes(10, 1));
        h.poll(h.now);
        while (c.state() != TcpState.CLOSED) {
            h.poll(c.nextDeadlineNanos());
        }
        assertEquals(TcpCloseReason.TIMEOUT, c.closeReason());
        assertEquals(RST, h.sent.peekLast().flags());
        assertEquals(3, c.counters().get(TcpCounter.RETRANSMIT_TIMEOUTS));
    }

    @Test
    void keepaliveProbesThenAborts() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().keepalive(10_000 * MS, 1000 * MS, 3).build());
        TcpConnection c = h.established();
        long t0 = h.now;
        assertEquals(t0 + 10_000 * MS, c.nextDeadlineNanos());
        h.poll(t0 + 10_000 * MS);
        TcpHarness.Sent probe = h.next();
        assertEquals(ISS, probe.seq(), "SND.NXT - 1");
        assertEquals(1, c.counters().get(TcpCounter.KEEPALIVE_PROBES));
        // An answer resets the count and the idle timer.
        h.feed(ACK, IRS + 1, ISS + 1, 65535);
        assertEquals(h.now + 10_000 * MS, c.nextDeadlineNanos());
        long t1 = h.now + 10_000 * MS;
        h.poll(t1);
        h.poll(t1 + 1000 * MS);
        h.poll(t1 + 2000 * MS);
        assertEquals(TcpState.ESTABLISHED, c.state());
        h.poll(t1 + 3000 * MS);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpCloseReason.TIMEOUT, c.closeReason());
    }

    @Test
    void zeroWindowIsProbed() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        h.feed(ACK, IRS + 1, ISS + 1, 0);
        send(c, bytes(100, 1));
        h.poll(h.now);
        h.assertNothingSent();
        long deadline = c.nextDeadlineNanos();
        assertTrue(deadline > h.now && deadline < TcpConnection.NO_DEADLINE);
        h.poll(deadline);
        TcpHarness.Sent probe = h.next();
        assertEquals(ISS, probe.seq(), "probe at SND.UNA - 1");
        assertEquals(0, probe.data().length);
        long second = c.nextDeadlineNanos();
        h.poll(second);
        h.next();
        assertTrue(c.nextDeadlineNanos() - second > second - deadline, "probe interval backs off");
        h.feed(ACK, IRS + 1, ISS + 1, 5000);
        assertEquals(100, h.next().data().length, "window opened: data goes");
    }

    // ---------------------------------------------------------------- loss recovery

    private static TcpConnection withTenSegmentsInFlight(TcpHarness h) {
        TcpConnection c = h.established();
        send(c, bytes(10 * MSS, 1));
        h.poll(h.now);
        for (int i = 0; i < 10; i++) {
            assertEquals(ISS + 1 + i * MSS, h.next().seq());
        }
        return c;
    }

    @Test
    void fastRetransmitAfterThreeDuplicateAcks() {
        TcpHarness h = harness();
        TcpConnection c = withTenSegmentsInFlight(h);
        h.feed(ACK, IRS + 1, ISS + 1 + MSS, 65535);
        h.sent.clear(); // slow start may send more new data
        for (int i = 0; i < 2; i++) {
            h.feed(ACK, IRS + 1, ISS + 1 + MSS, 65535);
        }
        assertFalse(c.inRecovery());
        long flight = Integer.toUnsignedLong(c.sndMax() - c.sndUna());
        h.feed(ACK, IRS + 1, ISS + 1 + MSS, 65535);
        assertTrue(c.inRecovery());
        TcpHarness.Sent retransmit = h.next();
        assertEquals(ISS + 1 + MSS, retransmit.seq());
        long ssthresh = Math.max(flight / 2, 2 * MSS);
        assertEquals(ssthresh, c.congestionControl().slowStartThreshold());
        assertEquals(ssthresh + 3 * MSS, c.congestionControl().congestionWindow());
        assertEquals(1, c.counters().get(TcpCounter.FAST_RETRANSMITS));
        h.feed(ACK, IRS + 1, ISS + 1 + MSS, 65535);
        assertEquals(ssthresh + 4 * MSS, c.congestionControl().congestionWindow(), "inflation");
    }

    @Test
    void newRenoPartialAckRetransmitsNextHoleAndFullAckExits() {
        TcpHarness h = harness();
        TcpConnection c = withTenSegmentsInFlight(h);
        for (int i = 0; i < 3; i++) {
            h.feed(ACK, IRS + 1, ISS + 1, 65535);
        }
        assertTrue(c.inRecovery());
        assertEquals(ISS + 1, h.next().seq());
        h.sent.clear();
        int recover = c.sndMax();
        long cwndBefore = c.congestionControl().congestionWindow();
        // Partial ACK: segments 0-2 arrived, segment 3 lost too.
        h.feed(ACK, IRS + 1, ISS + 1 + 3 * MSS, 65535);
        assertTrue(c.inRecovery());
        assertEquals(ISS + 1 + 3 * MSS, h.next().seq(), "first unacknowledged segment resent");
        assertEquals(cwndBefore - 3 * MSS + MSS, c.congestionControl().congestionWindow(), "deflated, plus one SMSS");
        h.sent.clear();
        h.feed(ACK, IRS + 1, recover, 65535);
        assertFalse(c.inRecovery());
        assertEquals(Math.min(c.congestionControl().slowStartThreshold(), MSS + MSS) ,
                c.congestionControl().congestionWindow(), "min(ssthresh, max(flight, SMSS) + SMSS)");
    }

    @Test
    void sackScoreboardSteersRetransmissions() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().sack(true).build());
        TcpConnection c = h.established(new TcpOptions(MSS, TcpOptions.ABSENT, true, List.of(), null));
        send(c, bytes(10 * MSS, 1));
        h.poll(h.now);
        h.sent.clear();
        int base = ISS + 1;
        // Segments 0 and 2 lost; 1 and 3..5 SACKed.
        for (int i = 0; i < 3; i++) {
            List<SackBlock> blocks = List.of(new SackBlock(base + 3 * MSS, base + (4 + i) * MSS),
                    new SackBlock(base + MSS, base + 2 * MSS));
            h.feed(ACK, IRS + 1, base, 65535, new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false, blocks, null),
                    new byte[0]);
        }
        assertTrue(c.inRecovery());
        assertEquals(base, h.next().seq(), "first hole");
        assertEquals(2, c.scoreboard().rangeCount());
        assertEquals(4L * MSS, c.scoreboard().sackedBytes());
        h.sent.clear();
        h.feed(ACK, IRS + 1, base, 65535, new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false,
                List.of(new SackBlock(base + 3 * MSS, base + 7 * MSS), new SackBlock(base + MSS, base + 2 * MSS)), null),
                new byte[0]);
        TcpHarness.Sent hole = h.sent.poll();
        assertEquals(base + 2 * MSS, hole.seq(), "the next hole, skipping the SACKed segment 1");
        assertEquals(MSS, hole.data().length);
    }

    @Test
    void abortSendsResetFromSndNxt() {
        TcpHarness h = harness();
        TcpConnection c = h.established();
        c.abort();
        TcpHarness.Sent rst = h.next();
        assertEquals(RST, rst.flags());
        assertEquals(ISS + 1, rst.seq());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpConnection.END_OF_STREAM, send(c, bytes(1, 1)));
    }
}
