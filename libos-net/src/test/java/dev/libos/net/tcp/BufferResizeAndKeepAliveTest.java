package dev.libos.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SO_SNDBUF / SO_RCVBUF on live buffers (bytes keep their places) and the keep-alive timer's rules. */
class BufferResizeAndKeepAliveTest {
    private static final long S = 1_000_000_000L;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void aSendBufferKeepsItsQueuedBytesAcrossResizesThatWrapTheRing() {
        SendBuffer buffer = new SendBuffer(100);
        byte[] data = bytes(300, 1);
        buffer.write(MemorySegment.ofArray(data).asSlice(0, 80));
        buffer.consume(70); // head at 70: the next write wraps
        buffer.write(MemorySegment.ofArray(data).asSlice(80, 60));
        assertEquals(70, buffer.length());
        buffer.resize(200);
        buffer.write(MemorySegment.ofArray(data).asSlice(140, 100));
        buffer.resize(170);
        assertEquals(170, buffer.capacity());
        byte[] out = new byte[170];
        buffer.copyOut(0, MemorySegment.ofArray(out), 170);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 70, 240), out);
        assertThrows(IllegalArgumentException.class, () -> buffer.resize(169), "below the bytes queued");
    }

    @Test
    void aReceiveBufferKeepsInOrderAndOutOfOrderBytesAcrossResizes() {
        ReceiveBuffer buffer = new ReceiveBuffer(100, 4);
        byte[] data = bytes(400, 2);
        MemorySegment all = MemorySegment.ofArray(data);
        assertEquals(90, buffer.insert(0, all, 0, 90));
        byte[] first = new byte[60];
        buffer.read(MemorySegment.ofArray(first));
        // 30 unread bytes (60..90), a hole (90..100), out of order 100..140 wrapping the 100-byte ring.
        assertEquals(0, buffer.insert(10, all, 100, 40));
        assertEquals(80, buffer.heldSpan());
        assertThrows(IllegalArgumentException.class, () -> buffer.resize(79));
        buffer.resize(250);
        buffer.resize(80);
        buffer.resize(333);
        assertEquals(50, buffer.insert(0, all, 90, 10), "filling the hole joins the range");
        byte[] rest = new byte[80];
        assertEquals(80, buffer.read(MemorySegment.ofArray(rest)));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 60, 140), rest);
        assertEquals(333, buffer.window());
    }

    @Test
    void theKeepAliveTimerProbesIdlePeersAndGivesUpAfterItsCount() {
        KeepAlive k = new KeepAlive(TcpConfig.defaults());
        assertEquals(7200 * S, k.idleNanos(), "Linux's tcp_keepalive_time");
        assertEquals(75 * S, k.intervalNanos(), "tcp_keepalive_intvl");
        assertEquals(9, k.count(), "tcp_keepalive_probes");
        k.start(0);
        assertEquals(TcpConnection.NO_DEADLINE, k.deadlineNanos(), "off by default (RFC 1122 4.2.3.6)");
        k.setEnabled(true);
        k.setIdleNanos(10 * S);
        k.setIntervalNanos(2 * S);
        k.setCount(2);
        assertEquals(10 * S, k.deadlineNanos());
        assertEquals(KeepAlive.Action.NONE, k.onTimer(9 * S, false));
        assertEquals(KeepAlive.Action.NONE, k.onTimer(10 * S, true), "data outstanding: the RTO watches");
        assertEquals(20 * S, k.deadlineNanos());
        assertEquals(KeepAlive.Action.PROBE, k.onTimer(20 * S, false));
        assertEquals(22 * S, k.deadlineNanos());
        k.heard(21 * S);
        assertEquals(31 * S, k.deadlineNanos(), "an answer restarts the idle time");
        assertEquals(KeepAlive.Action.PROBE, k.onTimer(31 * S, false));
        assertEquals(KeepAlive.Action.PROBE, k.onTimer(33 * S, false));
        assertEquals(2, k.probesSent());
        assertEquals(KeepAlive.Action.ABORT, k.onTimer(35 * S, false));
        assertThrows(IllegalArgumentException.class, () -> k.setCount(0));
        assertThrows(IllegalArgumentException.class, () -> k.setIdleNanos(0));
    }

    @Test
    void aConnectionsReceiveBufferSizeIsTheWindowItsSynOffers() {
        TcpHarness h = new TcpHarness(TcpHarness.plain().build());
        TcpConnection c = TcpConnection.connect(h.config, new BufferSizes(4096, 3000), h, h.limiter,
                TcpHarness.LOCAL_PORT, TcpHarness.REMOTE_PORT, TcpHarness.ISS, TcpHarness.MSS, 0);
        assertEquals(3000, h.sent.peekLast().header().window());
        assertEquals(4096, c.sendBufferCapacity());
        assertEquals(3000, c.receiveBufferCapacity());
        // Shrinking is refused below the window already offered (RFC 9293 3.8.6).
        assertEquals(3000, c.resizeReceiveBuffer(1000));
        assertEquals(6000, c.resizeReceiveBuffer(6000));
        assertEquals(1024, c.resizeSendBuffer(1024));
    }
}
