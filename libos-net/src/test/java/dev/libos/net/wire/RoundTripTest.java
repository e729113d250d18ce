package dev.libos.net.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Property: random valid repr, emit, check, parse gives the same repr (seeded, seed printed). */
class RoundTripTest {
    private static final int CASES = TestSeeds.intProperty("libos.net.roundtrip.cases", 5_000);

    @Test
    void ethernet() {
        long seed = TestSeeds.seed("RoundTripTest.ethernet");
        RandomReprs r = new RandomReprs(new SplittableRandom(seed));
        EthernetFrame view = new EthernetFrame();
        for (int i = 0; i < CASES; i++) {
            EthernetRepr repr = r.ethernet(r.u16());
            MemorySegment buffer = MemorySegment.ofArray(new byte[repr.bufferLength(i % 50)]);
            repr.emit(view.wrap(buffer, 0, (int) buffer.byteSize()));
            assertEquals(WireCheck.OK, view.wrapChecked(buffer, 0, (int) buffer.byteSize()), "seed " + seed);
            assertEquals(repr, EthernetRepr.parse(view), "seed " + seed + " case " + i);
            assertEquals(i % 50, view.payloadLength());
        }
    }

    @Test
    void arp() {
        long seed = TestSeeds.seed("RoundTripTest.arp");
        RandomReprs r = new RandomReprs(new SplittableRandom(seed));
        ArpPacket view = new ArpPacket();
        for (int i = 0; i < CASES; i++) {
            ArpRepr repr = r.arp();
            MemorySegment buffer = MemorySegment.ofArray(new byte[repr.bufferLength()]);
            repr.emit(view.wrap(buffer, 0, repr.bufferLength()));
            assertEquals(WireCheck.OK, view.wrapChecked(buffer, 0, repr.bufferLength()), "seed " + seed);
            assertEquals(repr, ArpRepr.parse(view), "seed " + seed + " case " + i);
        }
    }

    @Test
    void ipv4WithOptions() {
        long seed = TestSeeds.seed("RoundTripTest.ipv4WithOptions");
        SplittableRandom random = new SplittableRandom(seed);
        RandomReprs r = new RandomReprs(random);
        Ipv4Packet view = new Ipv4Packet();
        for (int i = 0; i < CASES; i++) {
            Ipv4Repr repr = r.ipv4(r.u8(), r.payloadLength(2000), random.nextBoolean());
            int slack = random.nextInt(3) * 7;  // buffer longer than the datagram
            MemorySegment buffer = MemorySegment.ofArray(new byte[repr.bufferLength() + slack]);
            repr.emit(view.wrap(buffer, 0, (int) buffer.byteSize()));
            assertEquals(WireCheck.OK, view.wrapChecked(buffer, 0, (int) buffer.byteSize()), "seed " + seed);
            Ipv4Repr parsed = Ipv4Repr.parse(view);
            assertEquals(repr, parsed, "seed " + seed + " case " + i);
            assertArrayEquals(repr.options(), parsed.options());
            assertEquals(repr.payloadLength(), view.payload().byteSize());
        }
    }

    @Test
    void icmpAllKinds() {
        long seed = TestSeeds.seed("RoundTripTest.icmpAllKinds");
        RandomReprs r = new RandomReprs(new SplittableRandom(seed));
        IcmpPacket view = new IcmpPacket();
        for (int i = 0; i < CASES; i++) {
            byte[] payload = r.bytes(r.payloadLength(1000));
            IcmpRepr repr = r.icmp(payload.length);
            MemorySegment buffer = MemorySegment.ofArray(new byte[repr.bufferLength()]);
            MemorySegment.copy(payload, 0, buffer, ValueLayout.JAVA_BYTE, IcmpDescriptor.HEADER_LENGTH, payload.length);
            repr.emit(view.wrap(buffer, 0, repr.bufferLength()));
            assertEquals(WireCheck.OK, view.wrapChecked(buffer, 0, repr.bufferLength()), "seed " + seed);
            assertEquals(repr, IcmpRepr.parse(view), "seed " + seed + " case " + i);
            assertArrayEquals(payload, view.payload().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void udp() {
        long seed = TestSeeds.seed("RoundTripTest.udp");
        RandomReprs r = new RandomReprs(new SplittableRandom(seed));
        UdpDatagram view = new UdpDatagram();
        for (int i = 0; i < CASES; i++) {
            byte[] payload = r.bytes(r.payloadLength(1400));
            UdpRepr repr = r.udp(payload.length);
            Ipv4Address src = r.ipv4Address();
            Ipv4Address dst = r.ipv4Address();
            MemorySegment buffer = MemorySegment.ofArray(new byte[repr.bufferLength()]);
            MemorySegment.copy(payload, 0, buffer, ValueLayout.JAVA_BYTE, UdpDescriptor.HEADER_LENGTH, payload.length);
            repr.emit(view.wrap(buffer, 0, repr.bufferLength()), src, dst);
            assertTrue(view.checksum() != 0, "RFC 768: a computed zero is sent as ffff");
            assertEquals(WireCheck.OK, view.wrapChecked(buffer, 0, repr.bufferLength(), src.value(), dst.value()),
                    "seed " + seed + " case " + i);
            assertEquals(repr, UdpRepr.parse(view), "seed " + seed + " case " + i);
            assertArrayEquals(payload, view.payload().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void tcpWithRandomOptionCombinations() {
        long seed = TestSeeds.seed("RoundTripTest.tcpWithRandomOptionCombinations");
        RandomReprs r = new RandomReprs(new SplittableRandom(seed));
        TcpSegment view = new TcpSegment();
        int packedLayouts = 0;
        for (int i = 0; i < 4 * CASES; i++) {
            byte[] payload = r.bytes(r.payloadLength(1400));
            TcpRepr repr = r.tcp(payload.length);
            Ipv4Address src = r.ipv4Address();
            Ipv4Address dst = r.ipv4Address();
            MemorySegment buffer = MemorySegment.ofArray(new byte[repr.bufferLength()]);
            MemorySegment.copy(payload, 0, buffer, ValueLayout.JAVA_BYTE, repr.headerLength(), payload.length);
            repr.emit(view.wrap(buffer, 0, repr.bufferLength()), src, dst);
            assertEquals(WireCheck.OK, view.wrapChecked(buffer, 0, repr.bufferLength(), src.value(), dst.value()),
                    "seed " + seed + " case " + i + " " + repr);
            assertEquals(repr, TcpRepr.parse(view), "seed " + seed + " case " + i);
            assertArrayEquals(payload, view.payload().toArray(ValueLayout.JAVA_BYTE));
            if (alignedLength(repr.options()) > TcpDescriptor.MAX_OPTIONS_LENGTH) {
                packedLayouts++;
            }
        }
        System.out.println("tcp round trips in the packed (unaligned) option layout: " + packedLayouts);
        assertTrue(packedLayouts > 0, "the generator never reached the packed layout; seed " + seed);
    }

    /** Length of the NOP-aligned layout, which TcpOptions uses only when it fits in 40 bytes. */
    private static int alignedLength(TcpOptions o) {
        return (o.maxSegmentSize() != TcpOptions.ABSENT ? 4 : 0) + (o.windowScale() != TcpOptions.ABSENT ? 4 : 0)
                + (o.sackPermitted() ? 4 : 0) + (o.timestamps() != null ? 12 : 0)
                + (o.sackBlocks().isEmpty() ? 0 : 4 + 8 * o.sackBlocks().size());
    }

    @Test
    void wholeFramesThroughTheParser() {
        long seed = TestSeeds.seed("RoundTripTest.wholeFramesThroughTheParser");
        SplittableRandom random = new SplittableRandom(seed);
        RandomReprs r = new RandomReprs(random);
        WireCounters counters = new WireCounters();
        FrameParser parser = new FrameParser(counters);
        for (int i = 0; i < 4 * CASES; i++) {
            FrameBuilder.Built built = FrameBuilder.random(r, random);
            assertEquals(built.expected(), parser.parse(built.frame(), false).copy(), "seed " + seed + " case " + i);
        }
        assertEquals(4L * CASES, counters.framesAccepted());
        assertEquals(0, counters.totalDrops());
    }
}
