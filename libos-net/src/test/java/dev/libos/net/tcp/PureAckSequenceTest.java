package dev.libos.net.tcp;

import static dev.libos.net.tcp.TcpHarness.IRS;
import static dev.libos.net.tcp.TcpHarness.ISS;
import static dev.libos.net.wire.TcpFlags.ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.net.wire.TcpOptions;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The sequence number of a pure ACK after a retransmission timeout: the peer may already hold
 * everything we sent, so an ACK at the rewound SND.NXT would lie below its RCV.NXT and be
 * dropped unread (the gateway soak's deadlock: both ends retransmitting, neither reading the
 * other's ACKs). It carries min(SND.MAX, SND.UNA + SND.WND) as Linux's does.
 */
class PureAckSequenceTest {
    @Test
    void aPureAckAfterARetransmissionTimeoutCarriesSndMax() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().delayedAckNanos(0).build());
        TcpConnection c = h.established();
        c.send(MemorySegment.ofArray(new byte[3000]));
        h.poll(h.now);
        h.sent.clear();
        assertEquals(ISS + 1 + 3000, c.sndMax());
        h.poll(c.nextDeadlineNanos()); // RTO: SND.NXT goes back to SND.UNA, one segment resent
        assertEquals(ISS + 1, h.next().seq());
        h.sent.clear();

        // The peer's data arrives, its ACKs of ours lost: we answer with a pure ACK.
        h.feed(ACK, IRS + 1, ISS + 1, 65535, TcpOptions.NONE, TcpHarness.bytes(100, 1));
        TcpHarness.Sent ack = h.next();
        assertEquals(ACK, ack.flags());
        assertEquals(0, ack.data().length);
        assertEquals(IRS + 1 + 100, ack.ack());
        assertEquals(ISS + 1 + 3000, ack.seq(), "SND.MAX, which the peer's acceptability test lets through");
    }

    @Test
    void aPureAckStaysWithinThePeersWindow() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().delayedAckNanos(0).build());
        TcpConnection c = h.established();
        c.send(MemorySegment.ofArray(new byte[3000]));
        h.poll(h.now);
        h.sent.clear();
        // The peer acknowledges the first 1000 bytes and closes its window: SND.UNA + SND.WND = ISS + 1001.
        h.feed(ACK, IRS + 1, ISS + 1001, 0, TcpOptions.NONE, TcpHarness.bytes(100, 1));
        TcpHarness.Sent ack = h.sent.stream().filter(s -> s.data().length == 0 && s.flags() == ACK)
                .filter(s -> s.ack() == IRS + 101).findFirst().orElseThrow();
        assertEquals(ISS + 1001, ack.seq(), "not beyond the right edge of a zero window");
    }
}
