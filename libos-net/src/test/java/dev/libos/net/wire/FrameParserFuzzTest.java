package dev.libos.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile input through {@link FrameParser}: random frames and mutated valid frames. For every
 * frame no exception escapes, the result is a counted drop or an accepted chain whose payload
 * lies inside the frame, and an accepted chain re-emitted and re-parsed gives itself back.
 *
 * <p>{@code -Dlibos.net.fuzz.frames=N} sets the frames per kind (default 1,000,000),
 * {@code -Dlibos.net.fuzz.seed=S} replays a run.
 */
class FrameParserFuzzTest {
    private static final int FRAMES = TestSeeds.intProperty("libos.net.fuzz.frames", 1_000_000);
    private static final Duration LIMIT = Duration.ofSeconds(Math.max(60, FRAMES / 20_000));

    private static long seed(String name) {
        String property = System.getProperty("libos.net.fuzz.seed");
        if (property == null) {
            return TestSeeds.seed(name);
        }
        long seed = Long.parseLong(property);
        System.out.println(name + ": seed " + seed + " (from libos.net.fuzz.seed)");
        return seed;
    }

    @Test
    void randomFrames() {
        long seed = seed("FrameParserFuzzTest.randomFrames");
        assertTimeoutPreemptively(LIMIT, () -> run("random frames", seed, false));
    }

    @Test
    void mutatedValidFrames() {
        long seed = seed("FrameParserFuzzTest.mutatedValidFrames");
        assertTimeoutPreemptively(LIMIT, () -> run("mutated valid frames", seed, true));
    }

    private static void run(String name, long seed, boolean mutate) {
        SplittableRandom random = new SplittableRandom(seed);
        RandomReprs reprs = new RandomReprs(random);
        WireCounters counters = new WireCounters();
        FrameParser parser = new FrameParser(counters);
        FrameParser reparser = new FrameParser(new WireCounters());
        long startNanos = System.nanoTime();
        long reEmitted = 0;
        for (int i = 0; i < FRAMES; i++) {
            MemorySegment frame = mutate ? mutatedFrame(reprs, random) : randomFrame(random);
            FrameSummary summary;
            try {
                summary = parser.parse(frame, false);
            } catch (RuntimeException e) {
                throw new AssertionError(name + ": exception on frame " + i + " (seed " + seed + "): "
                        + Hex.of(frame), e);
            }
            if (summary.accepted()) {
                checkAccepted(summary, frame, reparser, name, seed, i);
                reEmitted++;
            }
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        System.out.printf("%s: %d frames in %d ms, seed %d, %d accepted and re-emitted, drops per reason:%n%s%n",
                name, FRAMES, elapsedNanos / 1_000_000, seed, reEmitted, counters);
        assertEquals(FRAMES, counters.framesSeen(), "every frame is accepted or counted as a drop");
        assertEquals(reEmitted, counters.framesAccepted());
        if (FRAMES >= 100_000) {
            EnumSet<WireCheck> reached = EnumSet.noneOf(WireCheck.class);
            for (WireCheck reason : WireCheck.values()) {
                if (!reason.ok() && counters.drops(reason) > 0) {
                    reached.add(reason);
                }
            }
            // A fuzzer that only ever trips the first check tests nothing deeper.
            assertTrue(reached.size() >= 15, name + " reached only " + reached + "; seed " + seed);
            assertTrue(counters.framesAccepted() > FRAMES / 100, name + " accepted too few frames; seed " + seed);
        }
    }

    /** Re-emits an accepted chain from its reprs and checks that parsing gives the same reprs. */
    private static void checkAccepted(FrameSummary summary, MemorySegment frame, FrameParser reparser, String name,
                                      long seed, int index) {
        String where = name + " frame " + index + " (seed " + seed + "): " + Hex.of(frame) + " -> " + summary;
        FrameBuilder.Built rebuilt = switch (summary) {
            case FrameSummary.Arp arp -> FrameBuilder.arp(arp.ethernet(), arp.arp(), 0);
            case FrameSummary.Icmp icmp -> rebuild(frame, icmp.ethernet(), icmp.ipv4().toRepr(), icmp.icmp(),
                    icmp.icmp().bufferLength(), icmp.payloadOffset(), icmp.payloadLength(), where);
            case FrameSummary.Udp udp -> rebuild(frame, udp.ethernet(), udp.ipv4().toRepr(), udp.udp(),
                    udp.udp().bufferLength(), udp.payloadOffset(), udp.payloadLength(), where);
            case FrameSummary.Tcp tcp -> rebuild(frame, tcp.ethernet(), tcp.ipv4().toRepr(), tcp.tcp().toRepr(),
                    tcp.tcp().bufferLength(), tcp.payloadOffset(), tcp.payloadLength(), where);
            case FrameSummary.Ipv4Unparsed ip -> rebuild(frame, ip.ethernet(), ip.ipv4().toRepr(), null,
                    ip.payloadLength(), ip.payloadOffset(), ip.payloadLength(), where);
            case FrameSummary.Dropped dropped -> throw new AssertionError("not accepted: " + dropped);
        };
        // The reparser's summary holds its reused headers: compared as records.
        FrameSummary again = reparser.parse(rebuilt.frame(), false).copy();
        if (!rebuilt.expected().equals(again)) {
            fail("re-emitted chain parses differently: " + where + "\nexpected " + rebuilt.expected() + "\nbut got "
                    + again);
        }
    }

    private static FrameBuilder.Built rebuild(MemorySegment frame, EthernetRepr ethernet, Ipv4Repr ipv4,
                                              Object transport, int transportLength, int payloadOffset,
                                              int payloadLength, String where) {
        if (payloadOffset < 0 || payloadLength < 0 || (long) payloadOffset + payloadLength > frame.byteSize()) {
            fail("payload outside the frame: " + where);
        }
        byte[] payload = frame.asSlice(payloadOffset, payloadLength).toArray(ValueLayout.JAVA_BYTE);
        // Re-encoding may change the transport header's length (unknown options are not kept).
        return FrameBuilder.ipv4(ethernet, ipv4.withPayloadLength(transportLength), transport, payload, 0);
    }

    /** Random bytes, biased towards the EtherTypes, versions and protocols that go deeper. */
    static MemorySegment randomFrame(SplittableRandom random) {
        int length = random.nextInt(8) == 0 ? random.nextInt(1515) : random.nextInt(130);
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        MemorySegment frame = MemorySegment.ofArray(bytes);
        if (length < EthernetDescriptor.HEADER_LENGTH || random.nextInt(5) == 0) {
            return frame;
        }
        int etherType = random.nextInt(4) == 0 ? EtherType.ARP : EtherType.IPV4;
        Bytes.putU16(frame, EthernetDescriptor.ETHER_TYPE_OFFSET, etherType);
        int ip = EthernetDescriptor.HEADER_LENGTH;
        if (etherType == EtherType.ARP && length >= ip + ArpDescriptor.FIXED_LENGTH && random.nextBoolean()) {
            Bytes.putI32(frame, ip, (ArpDescriptor.HARDWARE_TYPE_ETHERNET << 16) | EtherType.IPV4);
            Bytes.putU16(frame, ip + ArpDescriptor.HARDWARE_LENGTH_OFFSET, 0x0604);
            Bytes.putU16(frame, ip + ArpDescriptor.OPERATION_OFFSET, random.nextInt(4));
        }
        if (etherType == EtherType.IPV4 && length >= ip + Ipv4Descriptor.MIN_HEADER_LENGTH && random.nextInt(4) != 0) {
            int ihl = random.nextInt(4) == 0 ? random.nextInt(16) : 5 + random.nextInt(3);
            Bytes.putU8(frame, ip, 0x40 | ihl);
            int total = random.nextInt(4) == 0 ? random.nextInt(0x10000) : length - ip - random.nextInt(3);
            Bytes.putU16(frame, ip + Ipv4Descriptor.TOTAL_LENGTH_OFFSET, Math.max(0, total));
            Bytes.putU16(frame, ip + Ipv4Descriptor.FLAGS_FRAGMENT_OFFSET, random.nextInt(8) == 0 ? random.nextInt(0x10000) : 0);
            int[] protocols = {IpProtocol.ICMP, IpProtocol.UDP, IpProtocol.TCP, IpProtocol.TCP, random.nextInt(256)};
            Bytes.putU8(frame, ip + Ipv4Descriptor.PROTOCOL_OFFSET, protocols[random.nextInt(protocols.length)]);
            if (random.nextInt(3) != 0) {
                fixChecksums(frame, random.nextBoolean());
            }
        }
        return frame;
    }

    /** A valid frame with one to four mutations, checksums fixed afterwards half the time. */
    static MemorySegment mutatedFrame(RandomReprs reprs, SplittableRandom random) {
        MemorySegment frame = FrameBuilder.random(reprs, random).frame();
        int mutations = random.nextInt(1, 5);
        for (int m = 0; m < mutations; m++) {
            frame = mutate(frame, random);
        }
        if (random.nextBoolean()) {
            fixChecksums(frame, true);
        }
        return frame;
    }

    private static MemorySegment mutate(MemorySegment frame, SplittableRandom random) {
        int length = (int) frame.byteSize();
        switch (random.nextInt(5)) {
            case 0 -> { // bit flip
                if (length > 0) {
                    int at = random.nextInt(length);
                    Bytes.putU8(frame, at, Bytes.u8(frame, at) ^ (1 << random.nextInt(8)));
                }
            }
            case 1 -> { // truncation
                return copyOf(frame, random.nextInt(length + 1));
            }
            case 2 -> corruptLengthField(frame, random);
            case 3 -> { // extension with random bytes
                MemorySegment longer = copyOf(frame, length + random.nextInt(1, 65));
                for (int i = length; i < longer.byteSize(); i++) {
                    Bytes.putU8(longer, i, random.nextInt(256));
                }
                return longer;
            }
            default -> { // a random byte in the headers
                if (length > 0) {
                    Bytes.putU8(frame, random.nextInt(Math.min(length, 80)), random.nextInt(256));
                }
            }
        }
        return frame;
    }

    private static MemorySegment copyOf(MemorySegment frame, int length) {
        MemorySegment copy = MemorySegment.ofArray(new byte[length]);
        MemorySegment.copy(frame, 0, copy, 0, Math.min(length, frame.byteSize()));
        return copy;
    }

    /** Sets one length field (IHL, total length, UDP length, TCP data offset, an option length, ARP lengths). */
    private static void corruptLengthField(MemorySegment frame, SplittableRandom random) {
        int ip = EthernetDescriptor.HEADER_LENGTH;
        int length = (int) frame.byteSize();
        if (length < ip + Ipv4Descriptor.MIN_HEADER_LENGTH) {
            return;
        }
        if (Bytes.u16(frame, EthernetDescriptor.ETHER_TYPE_OFFSET) == EtherType.ARP) {
            Bytes.putU8(frame, ip + (random.nextBoolean() ? ArpDescriptor.HARDWARE_LENGTH_OFFSET
                    : ArpDescriptor.PROTOCOL_LENGTH_OFFSET), random.nextInt(256));
            return;
        }
        int ihl = (Bytes.u8(frame, ip) & 0xF) * 4;
        int l4 = ip + ihl;
        int delta = random.nextInt(-8, 9);
        switch (random.nextInt(5)) {
            case 0 -> Bytes.putU8(frame, ip, (Bytes.u8(frame, ip) & 0xF0) | random.nextInt(16));
            case 1 -> Bytes.putU16(frame, ip + Ipv4Descriptor.TOTAL_LENGTH_OFFSET,
                    (Bytes.u16(frame, ip + Ipv4Descriptor.TOTAL_LENGTH_OFFSET) + delta) & 0xFFFF);
            case 2 -> {
                if (l4 + UdpDescriptor.HEADER_LENGTH <= length) {
                    Bytes.putU16(frame, l4 + UdpDescriptor.LENGTH_OFFSET,
                            (Bytes.u16(frame, l4 + UdpDescriptor.LENGTH_OFFSET) + delta) & 0xFFFF);
                }
            }
            case 3 -> {
                if (l4 + TcpDescriptor.MIN_HEADER_LENGTH <= length) {
                    Bytes.putU8(frame, l4 + TcpDescriptor.DATA_OFFSET_OFFSET, random.nextInt(16) << 4);
                }
            }
            default -> {
                // The length octet of the first option that is not EOL or NOP.
                if (l4 + TcpDescriptor.MIN_HEADER_LENGTH > length) {
                    return;
                }
                int end = Math.min(length, l4 + (Bytes.u8(frame, l4 + TcpDescriptor.DATA_OFFSET_OFFSET) >>> 4) * 4);
                int p = l4 + TcpDescriptor.MIN_HEADER_LENGTH;
                while (p < end && Bytes.u8(frame, p) == TcpDescriptor.OPTION_NOP) {
                    p++;
                }
                if (p + 1 < end) {
                    Bytes.putU8(frame, p + 1, random.nextInt(2) == 0 ? random.nextInt(4) : random.nextInt(256));
                }
            }
        }
    }

    /**
     * Recomputes the IPv4 header checksum and, if {@code transportToo}, the ICMP/UDP/TCP checksum,
     * wherever the bounds allow, so mutations reach the checks behind the checksums.
     */
    static void fixChecksums(MemorySegment frame, boolean transportToo) {
        int ip = EthernetDescriptor.HEADER_LENGTH;
        int length = (int) frame.byteSize();
        if (length < ip + Ipv4Descriptor.MIN_HEADER_LENGTH
                || Bytes.u16(frame, EthernetDescriptor.ETHER_TYPE_OFFSET) != EtherType.IPV4) {
            return;
        }
        Ipv4Packet packet = new Ipv4Packet().wrap(frame, ip, length - ip);
        int ihl = packet.headerLength();
        if (ihl < Ipv4Descriptor.MIN_HEADER_LENGTH || ihl > length - ip) {
            return;
        }
        int total = packet.totalLength();
        if (transportToo && total >= ihl && total <= length - ip) {
            int l4 = ip + ihl;
            int l4Length = total - ihl;
            int src = packet.sourceAddress();
            int dst = packet.destinationAddress();
            switch (packet.protocol()) {
                case IpProtocol.TCP -> {
                    if (l4Length >= TcpDescriptor.MIN_HEADER_LENGTH) {
                        new TcpSegment().wrap(frame, l4, l4Length).fillChecksum(src, dst);
                    }
                }
                case IpProtocol.UDP -> {
                    if (l4Length >= UdpDescriptor.HEADER_LENGTH) {
                        UdpDatagram udp = new UdpDatagram().wrap(frame, l4, l4Length);
                        if (udp.datagramLength() >= UdpDescriptor.HEADER_LENGTH && udp.datagramLength() <= l4Length) {
                            udp.fillChecksum(src, dst);
                        }
                    }
                }
                case IpProtocol.ICMP -> {
                    if (l4Length >= IcmpDescriptor.HEADER_LENGTH) {
                        new IcmpPacket().wrap(frame, l4, l4Length).fillChecksum();
                    }
                }
                default -> {
                }
            }
        }
        packet.fillChecksum();
    }
}
