package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Repr;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4ReassemblerTest {
    private static final long SECOND = 1_000_000_000L;
    private final Counters<IpCounter> counters = new Counters<>(IpCounter.class);
    private Ipv4Reassembler reassembler = new Ipv4Reassembler(ReassemblySettings.DEFAULTS, counters);
    private final Ipv4Repr base = Packets.header(IpProtocol.UDP, Ipv4Address.parse("10.0.0.2"),
            Ipv4Address.parse("10.0.0.1"), 77);

    private static byte[] data(int length) {
        byte[] d = new byte[length];
        for (int i = 0; i < length; i++) {
            d[i] = (byte) (i * 31 + 7);
        }
        return d;
    }

    /** Offers bytes [offset, offset + length) of {@code data} as one fragment. */
    private Ipv4Reassembler.Reassembled offer(Ipv4Repr header, byte[] data, int offset, int length, boolean more,
                                              long nowNanos) {
        Ipv4Repr fragment = Packets.fragment(header, offset, more).withPayloadLength(length);
        byte[] framed = new byte[length + 5];
        System.arraycopy(data, offset, framed, 5, length);
        return reassembler.accept(fragment, MemorySegment.ofArray(framed), 5, length, nowNanos);
    }

    @Test
    void reassemblesFragmentsInAnyOrder() {
        byte[] d = data(4000);
        List<Integer> offsets = new ArrayList<>();
        for (int off = 0; off < 4000; off += 1480) {
            offsets.add(off);
        }
        long seed = System.nanoTime();
        System.out.println("reassemblesFragmentsInAnyOrder: seed " + seed);
        Collections.shuffle(offsets, new Random(seed));
        Ipv4Reassembler.Reassembled whole = null;
        for (int i = 0; i < offsets.size(); i++) {
            int off = offsets.get(i);
            int len = Math.min(1480, 4000 - off);
            whole = offer(base, d, off, len, off + len < 4000, 0);
            if (i < offsets.size() - 1) {
                assertNull(whole);
            }
        }
        assertNotNull(whole);
        assertArrayEquals(d, whole.payload());
        assertEquals(4000, whole.header().payloadLength());
        assertFalse(whole.header().isFragment());
        assertEquals(0, reassembler.bytesInUse());
        assertEquals(0, reassembler.datagramsInProgress());
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_OK));
    }

    @Test
    void ignoresExactDuplicates() {
        byte[] d = data(24);
        assertNull(offer(base, d, 0, 16, true, 0));
        assertNull(offer(base, d, 0, 16, true, 0));
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_DUPLICATE));
        assertArrayEquals(d, offer(base, d, 16, 8, false, 0).payload());
    }

    @Test
    void overlappingFragmentsDropTheDatagramAndWhatFollows() {
        byte[] d = data(48);
        assertNull(offer(base, d, 0, 24, true, 0));
        assertNull(offer(base, d, 16, 16, true, 0)); // overlaps [16, 24)
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_OVERLAP));
        assertEquals(0, reassembler.bytesInUse(), "the buffer is freed at once");
        assertNull(offer(base, d, 24, 24, false, 0), "the rest cannot complete it");
        assertEquals(2, counters.get(IpCounter.REASSEMBLY_OVERLAP));
        // Same range, different bytes: an overlap too (a rewrite attempt), not a duplicate.
        Ipv4Repr other = Packets.header(IpProtocol.UDP, base.source(), base.destination(), 78);
        assertNull(offer(other, d, 0, 16, true, 0));
        byte[] forged = d.clone();
        forged[3] ^= 1;
        assertNull(offer(other, forged, 0, 16, true, 0));
        assertEquals(3, counters.get(IpCounter.REASSEMBLY_OVERLAP));
        // After the timeout the identification may be reused.
        reassembler.poll(31 * SECOND);
        assertEquals(0, reassembler.datagramsInProgress());
        assertNull(offer(base, d, 0, 24, true, 31 * SECOND));
        assertArrayEquals(d, offer(base, d, 24, 24, false, 31 * SECOND).payload());
    }

    @Test
    void incompleteDatagramsTimeOut() {
        byte[] d = data(32);
        assertEquals(Long.MAX_VALUE, reassembler.nextDeadlineNanos());
        assertNull(offer(base, d, 0, 16, true, 0));
        assertEquals(30 * SECOND, reassembler.nextDeadlineNanos(), "the timeout is the next timer");
        reassembler.poll(30 * SECOND - 1);
        assertEquals(1, reassembler.datagramsInProgress());
        reassembler.poll(30 * SECOND);
        assertEquals(0, reassembler.datagramsInProgress());
        assertEquals(Long.MAX_VALUE, reassembler.nextDeadlineNanos());
        assertEquals(0, reassembler.bytesInUse());
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_TIMEOUT));
    }

    @Test
    void enforcesThePerDatagramLimit() {
        reassembler = new Ipv4Reassembler(new ReassemblySettings(1000, 4000, 4, SECOND), counters);
        byte[] d = data(2000);
        assertNull(offer(base, d, 0, 992, true, 0));
        assertNull(offer(base, d, 992, 16, true, 0));
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_TOO_BIG));
        assertEquals(0, reassembler.bytesInUse());
    }

    @Test
    void enforcesTheTotalMemoryAndDatagramLimits() {
        reassembler = new Ipv4Reassembler(new ReassemblySettings(1000, 2000, 3, SECOND), counters);
        byte[] d = data(1000);
        for (int id = 0; id < 2; id++) {
            Ipv4Repr h = Packets.header(IpProtocol.UDP, base.source(), base.destination(), id);
            assertNull(offer(h, d, 200, 800, false, 0)); // the last fragment: 1000 bytes reserved
        }
        assertEquals(2000, reassembler.bytesInUse());
        Ipv4Repr third = Packets.header(IpProtocol.UDP, base.source(), base.destination(), 2);
        assertNull(offer(third, d, 0, 8, true, 0));
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_NO_MEMORY));
        // All three slots are taken (the third by a discarded datagram): a fourth evicts the oldest
        // datagram in progress rather than waiting for the timeouts.
        Ipv4Repr fourth = Packets.header(IpProtocol.UDP, base.source(), base.destination(), 3);
        assertNull(offer(fourth, d, 0, 8, true, 0));
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_EVICTED));
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_NO_MEMORY));
        assertEquals(1000 + 8, reassembler.bytesInUse(), "datagram 1 and the fourth's first fragment");
        reassembler.poll(SECOND);
        assertEquals(0, reassembler.bytesInUse());
        assertEquals(2, counters.get(IpCounter.REASSEMBLY_TIMEOUT), "datagram 1 and the fourth; the third was counted as NO_MEMORY");
    }

    @Test
    void rejectsInconsistentFragments() {
        byte[] d = data(64);
        assertNull(offer(base, d, 0, 12, true, 0)); // not a multiple of 8
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_INVALID));
        assertNull(offer(base, d, 0, 16, true, 0));
        assertNotNull(offer(base, d, 16, 16, false, 0)); // a consistent datagram of 32 bytes
        assertEquals(1, counters.get(IpCounter.REASSEMBLY_INVALID));
        Ipv4Repr other = Packets.header(IpProtocol.UDP, base.source(), base.destination(), 99);
        assertNull(offer(other, d, 32, 16, false, 0));
        assertNull(offer(other, d, 40, 16, true, 0)); // beyond the announced end
        assertEquals(2, counters.get(IpCounter.REASSEMBLY_INVALID));
        assertNull(offer(other, d, 32, 16, true, 0), "the datagram was dropped");
        assertEquals(3, counters.get(IpCounter.REASSEMBLY_INVALID));
    }
}
