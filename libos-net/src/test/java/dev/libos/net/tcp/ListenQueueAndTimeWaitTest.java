package dev.libos.net.tcp;

import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.FIN;
import static dev.libos.net.wire.TcpFlags.RST;
import static dev.libos.net.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpRepr;
import dev.libos.net.wire.TcpTimestamps;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SYN cookies for a full SYN backlog (RFC 4987), and TIME-WAIT: no buffer reservation, its own
 * bounded table, early reuse (RFC 6191). Segments are fed to the layer by hand, at explicit
 * instants, through {@link TcpLayerTest}'s harness.
 */
class ListenQueueAndTimeWaitTest {
    private static final long SECOND = 1_000_000_000L;
    private final TcpLayerTest net = new TcpLayerTest();

    private static TcpRepr segment(int sport, int dport, int flags, int seq, int ack, TcpOptions options) {
        return new TcpRepr(sport, dport, seq, ack, flags, 1000, 0, options, 0);
    }

    /** Fills listener 80's SYN backlog of two with half-open connections. */
    private TcpListener listenerWithFullBacklog(TcpLayer layer) {
        TcpListener listener = layer.listen(80, 2, 8);
        net.deliver(layer, TcpLayerTest.seg(10_001, 80, SYN, 1, 0), 0);
        net.deliver(layer, TcpLayerTest.seg(10_002, 80, SYN, 2, 0), 0);
        assertEquals(2, listener.halfOpenCount());
        net.out.clear();
        return listener;
    }

    @Test
    void aFullBacklogStillCompletesAHandshakeThroughACookieWithItsOptions() {
        TcpLayer layer = net.layer(100);
        TcpListener listener = listenerWithFullBacklog(layer);
        TcpOptions offered = new TcpOptions(1460, 7, true, List.of(), new TcpTimestamps(5000, 0));
        net.deliver(layer, segment(40_000, 80, SYN, 900, 0, offered), SECOND);
        TcpRepr synAck = net.out.poll();
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(901, synAck.acknowledgementNumber());
        assertEquals(1460, synAck.options().maxSegmentSize());
        assertTrue(synAck.options().windowScale() >= 0, "window scale answered");
        assertTrue(synAck.options().sackPermitted());
        assertEquals(5000, synAck.options().timestamps().echoReply());
        assertEquals(2, listener.halfOpenCount(), "the cookie keeps no state");
        assertEquals(2, layer.connectionCount(), "no connection for the cookie SYN");
        assertEquals(1, layer.counters().get(TcpCounter.SYN_COOKIES_SENT));

        int tsval = synAck.options().timestamps().value();
        TcpOptions ackOptions = new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false, List.of(),
                new TcpTimestamps(5001, tsval));
        net.deliver(layer, segment(40_000, 80, ACK, 901, synAck.sequenceNumber() + 1, ackOptions), 2 * SECOND);
        TcpConnection c = listener.accept();
        assertNotNull(c, "the cookie ACK completed the handshake");
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(40_000, c.remotePort());
        assertEquals(1460, c.sendMss());
        assertArrayEquals(new boolean[] {true, true, true}, c.negotiatedOptions());
        assertEquals(7, c.windowShifts()[1], "the peer's shift came back in TSecr");
        assertEquals(synAck.options().windowScale(), c.windowShifts()[0], "our shift as announced");
        assertEquals(1, layer.counters().get(TcpCounter.SYN_COOKIES_ACCEPTED));
        assertTrue(layer.committedBufferBytes() > 0);

        net.out.clear();
        c.send(MemorySegment.ofArray(new byte[100]));
        layer.poll(2 * SECOND);
        TcpRepr data = net.out.stream().filter(r -> r.payloadLength() > 0).findFirst().orElseThrow();
        assertEquals(100, data.payloadLength());
        assertEquals(synAck.sequenceNumber() + 1, data.sequenceNumber());
        assertTrue(data.options().timestamps().value() - tsval > 0,
                "TSvals continue after the cookie SYN-ACK's, so the peer's PAWS accepts them");
    }

    @Test
    void withoutTimestampsACookieConnectionOffersNeitherScalingNorSack() {
        TcpLayer layer = net.layer(100);
        TcpListener listener = listenerWithFullBacklog(layer);
        net.deliver(layer, segment(40_000, 80, SYN, 900, 0, new TcpOptions(1300, 7, true, List.of(), null)), 0);
        TcpRepr synAck = net.out.poll();
        assertEquals(TcpOptions.ABSENT, synAck.options().windowScale());
        assertFalse(synAck.options().sackPermitted());
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, ACK, 901, synAck.sequenceNumber() + 1), 0);
        TcpConnection c = listener.accept();
        assertNotNull(c);
        assertArrayEquals(new boolean[] {false, false, false}, c.negotiatedOptions());
        assertEquals(1300, c.sendMss(), "the MSS came back in the cookie");
    }

    @Test
    void forgedAndStaleCookieAcksMakeNoConnectionAndAreCounted() {
        TcpLayer layer = net.layer(100);
        TcpListener listener = listenerWithFullBacklog(layer);
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, SYN, 900, 0), 0);
        int cookie = net.out.poll().sequenceNumber();

        net.deliver(layer, TcpLayerTest.seg(40_000, 80, ACK, 901, cookie + 2), SECOND); // wrong cookie
        net.deliver(layer, TcpLayerTest.seg(40_001, 80, ACK, 901, cookie + 1), SECOND); // another port's
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, ACK, 902, cookie + 1), SECOND); // another peer ISN
        assertEquals(3, layer.counters().get(TcpCounter.SYN_COOKIES_REJECTED));
        for (int i = 0; i < 3; i++) {
            assertEquals(RST, net.out.poll().flags(), "no connection: the RST any stray ACK gets");
        }
        assertNull(net.out.poll());
        assertNull(listener.accept());

        // Three slots later the cookie is stale, though the listener is sending cookies again.
        long later = 3 * SynCookies.SLOT_NANOS;
        net.deliver(layer, TcpLayerTest.seg(40_002, 80, SYN, 5, 0), later);
        net.out.clear();
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, ACK, 901, cookie + 1), later);
        assertEquals(4, layer.counters().get(TcpCounter.SYN_COOKIES_REJECTED));
        assertNull(listener.accept());
        assertEquals(0, layer.counters().get(TcpCounter.SYN_COOKIES_ACCEPTED));
        assertEquals(2, layer.connectionCount(), "only the two half-open connections");
    }

    @Test
    void anAckForNoConnectionIsResetWhenTheListenerSentNoCookies() {
        TcpLayer layer = net.layer(100);
        layer.listen(80, 2, 8);
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, ACK, 901, 12345), 0);
        assertEquals(RST, net.out.poll().flags());
        assertEquals(0, layer.counters().get(TcpCounter.SYN_COOKIES_REJECTED));
    }

    /** Opens a connection to 10.0.0.2:80 and completes its handshake; returns it ESTABLISHED. */
    private TcpConnection established(TcpLayer layer, long now) {
        TcpConnection c = layer.connect(TcpLayerTest.THEM, 80, now);
        assertNotNull(c);
        TcpRepr syn = net.out.poll();
        net.deliver(layer, TcpLayerTest.seg(80, c.localPort(), SYN | ACK, 7000, syn.sequenceNumber() + 1), now);
        assertEquals(TcpState.ESTABLISHED, c.state());
        net.out.clear();
        return c;
    }

    /** Closes {@code c} first (FIN), and has the peer acknowledge and close: {@code c} is in TIME-WAIT. */
    private void closeIntoTimeWait(TcpLayer layer, TcpConnection c, long now) {
        c.close();
        layer.poll(now);
        TcpRepr fin = net.out.poll();
        assertTrue((fin.flags() & FIN) != 0);
        int finAck = c.sndNxt(); // past the data and the FIN
        net.deliver(layer, TcpLayerTest.seg(80, c.localPort(), FIN | ACK, 7001, finAck), now);
        assertEquals(TcpState.TIME_WAIT, c.state());
        net.out.clear();
    }

    @Test
    void timeWaitHoldsNoBufferReservationAndLeavesTheConnectionLimit() {
        TcpLayer layer = net.layer(1);
        TcpConnection c = established(layer, 0);
        c.send(MemorySegment.ofArray(new byte[10])); // the buffers are allocated and reserved
        assertTrue(layer.committedBufferBytes() > 0);
        closeIntoTimeWait(layer, c, SECOND);
        assertFalse(c.holdsBuffers());
        assertEquals(0, layer.committedBufferBytes(), "TIME-WAIT reserves no buffer memory");
        assertEquals(1, layer.timeWaitCount());
        TcpConnection next = layer.connect(TcpLayerTest.THEM, 80, 2 * SECOND);
        assertNotNull(next, "a TIME-WAIT entry does not count against the connection limit");
    }

    @Test
    void theTimeWaitTableIsBoundedOldestFirst() {
        TcpLayer layer = net.layer(1);
        TcpConnection first = established(layer, 0);
        closeIntoTimeWait(layer, first, 0);
        TcpConnection second = established(layer, SECOND);
        closeIntoTimeWait(layer, second, SECOND);
        assertEquals(1, layer.timeWaitCount());
        assertEquals(1, layer.counters().get(TcpCounter.TIME_WAIT_OVERFLOWS));
        assertEquals(1, layer.connectionCount());
    }

    @Test
    void aNewerSynReopensAPassiveTimeWaitTuple() {
        TcpLayer layer = net.layer(10);
        TcpListener listener = layer.listen(80, 8, 8);
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, SYN, 100, 0), 0);
        TcpRepr synAck = net.out.poll();
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, ACK, 101, synAck.sequenceNumber() + 1), 0);
        TcpConnection c = listener.accept();
        c.close();
        layer.poll(0);
        TcpRepr fin = net.out.poll();
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, FIN | ACK, 101, fin.sequenceNumber() + 1), 0);
        assertEquals(TcpState.TIME_WAIT, c.state());
        net.out.clear();

        net.deliver(layer, TcpLayerTest.seg(40_000, 80, SYN, 50, 0), SECOND); // an old sequence number
        TcpRepr answer = net.out.poll();
        assertEquals(ACK, answer.flags(), "an old SYN in TIME-WAIT gets a challenge ACK");
        net.deliver(layer, TcpLayerTest.seg(40_000, 80, SYN, 100_000, 0), SECOND);
        answer = net.out.poll();
        assertEquals(SYN | ACK, answer.flags(), "a SYN beyond RCV.NXT opens a new connection (RFC 6191)");
        assertEquals(100_001, answer.acknowledgementNumber());
        assertEquals(1, layer.counters().get(TcpCounter.TIME_WAIT_REUSED));
    }

    @Test
    void withEveryEphemeralPortInTimeWaitConnectReusesTheOldestAfterASecond() {
        int ports = TcpLayer.EPHEMERAL_LAST - TcpLayer.EPHEMERAL_FIRST + 1;
        TcpLayer layer = net.layer(ports + 10);
        for (int i = 0; i < ports; i++) {
            closeIntoTimeWait(layer, established(layer, 0), 0);
        }
        assertEquals(ports, layer.timeWaitCount());
        assertEquals(0, layer.committedBufferBytes());
        assertNull(layer.connect(TcpLayerTest.THEM, 80, TcpLayer.TIME_WAIT_REUSE_NANOS / 2),
                "no free port, and no TIME-WAIT old enough to reuse");
        net.out.clear();
        TcpConnection reused = layer.connect(TcpLayerTest.THEM, 80, TcpLayer.TIME_WAIT_REUSE_NANOS);
        assertNotNull(reused);
        assertEquals(1, layer.counters().get(TcpCounter.TIME_WAIT_REUSED));
        assertEquals(ports - 1, layer.timeWaitCount());
        assertEquals(SYN, net.out.poll().flags());
        assertNotNull(layer.connect(TcpLayerTest.THEM, 81, TcpLayer.TIME_WAIT_REUSE_NANOS),
                "another peer port has every ephemeral port free");
    }

    @Test
    void unreadDataKeepsItsReservationInTimeWaitUntilTheApplicationReadsIt() {
        TcpLayer layer = net.layer(4);
        TcpConnection c = established(layer, 0);
        c.shutdownOutput();
        layer.poll(0);
        int finAck = c.sndNxt();
        net.out.clear();
        // The peer sends 5 bytes with its FIN and acknowledges ours: TIME-WAIT with 5 unread bytes.
        net.deliver(layer, new TcpRepr(80, c.localPort(), 7001, finAck, FIN | ACK, 1000, 0, TcpOptions.NONE, 5), 0);
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertEquals(5, c.availableToRead());
        assertTrue(layer.committedBufferBytes() > 0, "the unread bytes keep their buffer");
        assertEquals(5, c.receive(MemorySegment.ofArray(new byte[16])));
        layer.poll(SECOND);
        assertFalse(c.holdsBuffers());
        assertEquals(0, layer.committedBufferBytes(), "read out: the reservation goes");
        assertEquals(TcpConnection.END_OF_STREAM, c.receive(MemorySegment.ofArray(new byte[16])));
    }
}
