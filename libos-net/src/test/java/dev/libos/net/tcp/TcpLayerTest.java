package dev.libos.net.tcp;

import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.RST;
import static dev.libos.net.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.ip.Ipv4Output;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Repr;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpRepr;
import dev.libos.net.wire.TcpSegment;
import dev.libos.net.wire.WireCheck;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The layer: reset generation for closed ports, validation, SYN backlog, limits. */
class TcpLayerTest {
    static final Ipv4Address US = Ipv4Address.of(10, 0, 0, 1);
    static final Ipv4Address THEM = Ipv4Address.of(10, 0, 0, 2);

    final ArrayDeque<TcpRepr> out = new ArrayDeque<>();
    final Ipv4Output ip = new Ipv4Output() {
        @Override
        public boolean send(Ipv4Address source, Ipv4Address destination, int protocol, int payloadLength,
                            PayloadWriter writer) {
            byte[] bytes = new byte[payloadLength];
            MemorySegment seg = MemorySegment.ofArray(bytes);
            writer.write(seg);
            assertEquals(dev.libos.net.wire.WireCheck.OK,
                    TcpSegment.check(seg, 0, payloadLength, source.value(), destination.value()), "valid checksum");
            out.add(TcpRepr.parse(new TcpSegment().wrap(seg, 0, payloadLength)));
            return true;
        }

        @Override
        public Ipv4Address sourceFor(Ipv4Address destination) {
            return US;
        }

        @Override
        public int maxPayload(Ipv4Address destination) {
            return 1480;
        }
    };

    static byte[] datagram(TcpRepr r, Ipv4Address from, Ipv4Address to) {
        byte[] bytes = new byte[r.bufferLength()];
        r.emit(new TcpSegment().wrap(MemorySegment.ofArray(bytes), 0, bytes.length), from, to);
        return bytes;
    }

    void deliver(TcpLayer layer, TcpRepr r, long now) {
        byte[] bytes = datagram(r, THEM, US);
        new Datagrams().deliver(layer, Ipv4Repr.simple(IpProtocol.TCP, THEM, US, 0, bytes.length), bytes, now);
    }

    TcpLayer layer(int maxConnections) {
        return new TcpLayer(ip, TcpConfig.defaults(), new SplittableRandom(1), maxConnections, 1L << 30);
    }

    static TcpRepr seg(int sport, int dport, int flags, int seq, int ack) {
        return new TcpRepr(sport, dport, seq, ack, flags, 1000, 0, TcpOptions.NONE, 0);
    }

    @Test
    void closedPortAnswersWithResetPerRfc9293() {
        TcpLayer layer = layer(10);
        deliver(layer, seg(5000, 9, SYN, 100, 0), 0);
        TcpRepr rst = out.poll();
        assertEquals(RST | ACK, rst.flags());
        assertEquals(0, rst.sequenceNumber());
        assertEquals(101, rst.acknowledgementNumber());
        deliver(layer, seg(5000, 9, ACK, 100, 777), 0);
        rst = out.poll();
        assertEquals(RST, rst.flags());
        assertEquals(777, rst.sequenceNumber());
        deliver(layer, seg(5000, 9, RST, 100, 0), 0);
        assertNull(out.poll(), "never a reset for a reset");
        assertEquals(3, layer.counters().get(TcpCounter.NO_CONNECTION_SEGMENTS));
    }

    @Test
    void malformedSegmentsAreCountedAndDropped() {
        TcpLayer layer = layer(10);
        byte[] bytes = datagram(seg(5000, 9, SYN, 100, 0), THEM, US);
        bytes[4] ^= 1;
        Datagrams datagrams = new Datagrams();
        // The checksum and the header are checked once, below the TCP layer: nothing reaches it.
        assertEquals(WireCheck.TCP_BAD_CHECKSUM, ((FrameSummary.Dropped) datagrams.deliver(layer,
                Ipv4Repr.simple(IpProtocol.TCP, THEM, US, 0, bytes.length), bytes, 0)).reason());
        assertEquals(WireCheck.TCP_TRUNCATED, ((FrameSummary.Dropped) datagrams.deliver(layer,
                Ipv4Repr.simple(IpProtocol.TCP, THEM, US, 0, 7), new byte[7], 0)).reason());
        assertEquals(0, layer.counters().get(TcpCounter.SEGMENTS_RECEIVED));
        // What the parser could not make a TCP segment of, and port 0, the layer counts and drops.
        byte[] udp = new byte[8];
        layer.onDatagram(new FrameSummary.Ipv4Unparsed(null, Ipv4Repr.simple(IpProtocol.TCP, THEM, US, 0, 8), 0, 8),
                MemorySegment.ofArray(udp), 0);
        byte[] portZero = datagram(seg(0, 9, SYN, 100, 0), THEM, US);
        datagrams.deliver(layer, Ipv4Repr.simple(IpProtocol.TCP, THEM, US, 0, portZero.length), portZero, 0);
        assertEquals(2, layer.counters().get(TcpCounter.MALFORMED_SEGMENTS));
        assertNull(out.poll());
    }

    @Test
    void synFloodIsBoundedAndALegitimateClientStillConnects() {
        TcpLayer layer = layer(100);
        TcpListener listener = layer.listen(80, 8, 4);
        for (int i = 0; i < 1000; i++) {
            deliver(layer, seg(10_000 + i, 80, SYN, i * 7919, 0), i);
        }
        assertEquals(8, listener.halfOpenCount());
        assertEquals(8, layer.connectionCount());
        assertEquals(992, layer.counters().get(TcpCounter.SYN_BACKLOG_OVERFLOWS));
        assertEquals(0, layer.committedBufferBytes(), "half-open connections commit no buffers");
        out.clear();
        deliver(layer, seg(40_000, 80, SYN, 5, 0), 2000);
        TcpRepr synAck = out.poll();
        assertEquals(SYN | ACK, synAck.flags());
        deliver(layer, seg(40_000, 80, ACK, 6, synAck.sequenceNumber() + 1), 2001);
        TcpConnection accepted = listener.accept();
        assertNotNull(accepted);
        assertEquals(TcpState.ESTABLISHED, accepted.state());
        assertEquals(40_000, accepted.remotePort());
        assertTrue(layer.committedBufferBytes() > 0);
    }

    @Test
    void connectionLimitRefusesNewConnections() {
        TcpLayer layer = layer(2);
        layer.listen(80, 8, 4);
        for (int i = 0; i < 5; i++) {
            deliver(layer, seg(10_000 + i, 80, SYN, i, 0), i);
        }
        assertEquals(2, layer.connectionCount());
        assertEquals(3, layer.counters().get(TcpCounter.CONNECTION_LIMIT_DROPS));
        assertNull(layer.connect(THEM, 80, 10));
    }

    @Test
    void activeOpenUsesEphemeralPortsAndTimersRunFromPoll() {
        TcpLayer layer = layer(10);
        TcpConnection c = layer.connect(THEM, 80, 0);
        assertTrue(c.localPort() >= TcpLayer.EPHEMERAL_FIRST);
        assertEquals(SYN, out.poll().flags());
        long deadline = layer.nextDeadlineNanos();
        assertEquals(1_000_000_000L, deadline);
        layer.poll(deadline);
        assertEquals(SYN, out.poll().flags(), "SYN retransmitted by the layer's poll");
        TcpConnection d = layer.connect(THEM, 80, 0);
        assertTrue(d.localPort() != c.localPort());
    }
}
