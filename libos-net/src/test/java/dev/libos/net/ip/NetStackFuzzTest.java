package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.ip.udp.UdpCounter;
import dev.libos.net.ip.udp.UdpLayer;
import dev.libos.net.ip.udp.UdpSocket;
import dev.libos.net.wire.ArpOperation;
import dev.libos.net.wire.ArpRepr;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Packet;
import dev.libos.net.wire.Ipv4Repr;
import dev.libos.net.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the receive path of a whole stack (parser, ARP, IPv4, reassembly, ICMP, UDP) with random
 * frames and mutated valid ones: no exception escapes, every frame is counted, and the stack
 * still answers a ping afterwards. {@code -Dlibos.net.stackfuzz.frames=N} (default 150,000).
 */
class NetStackFuzzTest {
    private static final Ipv4Address ME = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.2");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noExceptionEscapesAndEveryFrameIsCounted() {
        String property = System.getProperty("libos.net.test.seed");
        long seed = property != null ? Long.parseLong(property) : System.nanoTime();
        int frames = Integer.parseInt(System.getProperty("libos.net.stackfuzz.frames", "150000"));
        System.out.println("NetStackFuzzTest: seed " + seed + " (re-run with -Dlibos.net.test.seed=" + seed + "), "
                + frames + " frames");
        SplittableRandom random = new SplittableRandom(seed);
        TestDevice device = new TestDevice(MacAddress.parse("02:00:00:00:00:01"));
        NetStack stack = new NetStack(NetStackSettings.DEFAULTS
                .withReassembly(new ReassemblySettings(65_515, 256 * 1024, 16, 1_000_000_000L)));
        NetInterface iface = stack.addInterface(device);
        stack.configure(iface, ME, 24);
        UdpLayer udp = new UdpLayer(stack, stack.icmp());
        stack.register(IpProtocol.UDP, udp);
        UdpSocket socket = udp.bind(Ipv4Address.UNSPECIFIED, 5000, 64);
        MacAddress me = iface.mac();

        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Packets.arpRequest(PEER_MAC, PEER, ME));
        seeds.add(Packets.arpReply(PEER_MAC, PEER, me, ME));
        seeds.add(Packets.arp(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER, MacAddress.ZERO, PEER)));
        seeds.add(Packets.ipv4(me, PEER_MAC, Packets.header(IpProtocol.ICMP, PEER, ME, 1), Packets.echoRequest(1, 1, new byte[40])));
        seeds.add(Packets.ipv4(me, PEER_MAC, Packets.header(IpProtocol.UDP, PEER, ME, 2), Packets.udp(PEER, ME, 9, 5000, new byte[30])));
        seeds.add(Packets.ipv4(me, PEER_MAC, Packets.header(IpProtocol.UDP, PEER, ME, 3), Packets.udp(PEER, ME, 9, 6000, new byte[30])));
        seeds.add(Packets.ipv4(me, PEER_MAC, Packets.header(IpProtocol.TCP, PEER, ME, 4), new byte[40]));
        byte[] big = Packets.udp(PEER, ME, 9, 5000, new byte[100]);
        Ipv4Repr base = Packets.header(IpProtocol.UDP, PEER, ME, 5);
        seeds.add(Packets.ipv4(me, PEER_MAC, Packets.fragment(base, 0, true), java.util.Arrays.copyOfRange(big, 0, 64)));
        seeds.add(Packets.ipv4(me, PEER_MAC, Packets.fragment(base, 64, false), java.util.Arrays.copyOfRange(big, 64, big.length)));
        seeds.add(Packets.ipv4(MacAddress.BROADCAST, PEER_MAC, Packets.header(IpProtocol.UDP, PEER, Ipv4Address.BROADCAST, 6),
                Packets.udp(PEER, Ipv4Address.BROADCAST, 9, 5000, new byte[10])));

        long now = 0;
        for (int i = 0; i < frames; i++) {
            byte[] frame = random.nextInt(4) == 0 ? randomFrame(random, me) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            device.inject(frame);
            if (i % 64 == 63) {
                now += random.nextLong(50_000_000L);
                stack.poll(now);
                device.takeTransmitted();
                while (socket.receive() != null) {
                    // drain
                }
            }
        }
        stack.poll(now);
        device.takeTransmitted();

        InterfaceStats stats = iface.stats();
        System.out.println("interface: " + stats);
        System.out.println("ip:\n" + stack.counters() + "udp:\n" + udp.counters());
        assertEquals(frames, stats.framesIn());
        assertEquals(stats.framesIn(), stats.framesParsed() + stats.totalWireDrops());
        assertTrue(stats.wireDrops().size() >= 8, "drop reasons reached: " + stats.wireDrops().keySet());
        assertTrue(stack.counters().get(IpCounter.REASSEMBLY_FRAGMENTS) > 0);
        assertTrue(udp.counters().get(UdpCounter.DELIVERED) > 0);
        assertTrue(stack.stats().reassemblyBytes() <= 256 * 1024);

        // The stack still works: a clean ping is answered (the peer's MAC may have been fuzzed, so teach it again).
        device.inject(Packets.arpReply(PEER_MAC, PEER, me, ME));
        device.inject(Packets.ipv4(me, PEER_MAC, Packets.header(IpProtocol.ICMP, PEER, ME, 77), Packets.echoRequest(9, 9, new byte[8])));
        stack.poll(now + 1);
        boolean answered = false;
        for (byte[] out : device.takeTransmitted()) {
            if (Packets.parse(out) instanceof FrameSummary.Icmp icmp && icmp.icmp().type() == 0) {
                answered = true;
            }
        }
        assertTrue(answered, "ping answered after the fuzzing");
    }

    private static byte[] randomFrame(SplittableRandom random, MacAddress me) {
        byte[] f = new byte[random.nextInt(1514)];
        random.nextBytes(f);
        if (f.length >= 14 && random.nextBoolean()) {
            byte[] mac = random.nextBoolean() ? me.toBytes() : MacAddress.BROADCAST.toBytes();
            System.arraycopy(mac, 0, f, 0, 6);
            f[12] = random.nextBoolean() ? (byte) 0x08 : f[12];
            f[13] = random.nextBoolean() ? (byte) (random.nextBoolean() ? 0x00 : 0x06) : f[13];
            if (f.length >= 34 && f[13] == 0) {
                f[14] = (byte) (0x45 + (random.nextInt(4) == 0 ? random.nextInt(11) : 0));
                fixIpv4Checksum(f, random);
            }
        }
        return f;
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] f = seed.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int bit = random.nextInt(f.length * 8);
                    f[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
            }
            case 1 -> f = java.util.Arrays.copyOf(f, random.nextInt(f.length + 1));
            case 2 -> {
                // A random header byte (Ethernet, IPv4 or transport).
                int at = random.nextInt(Math.min(f.length, 54));
                f[at] = (byte) random.nextInt(256);
            }
            case 3 -> {
                // Corrupt a length field (IPv4 total length, UDP length).
                int at = random.nextBoolean() ? 16 : 38;
                if (f.length > at + 1) {
                    f[at] = (byte) random.nextInt(256);
                    f[at + 1] = (byte) random.nextInt(256);
                }
            }
            case 4 -> {
                // Fragment fields: offset and MF at random.
                if (f.length > 21) {
                    f[20] = (byte) random.nextInt(256);
                    f[21] = (byte) random.nextInt(256);
                }
            }
            default -> {
                f = java.util.Arrays.copyOf(f, f.length + random.nextInt(200));
            }
        }
        if (random.nextBoolean()) {
            fixIpv4Checksum(f, random);
        }
        return f;
    }

    private static void fixIpv4Checksum(byte[] f, SplittableRandom random) {
        if (f.length < 34 || f[12] != 0x08 || f[13] != 0x00) {
            return;
        }
        int headerLength = (f[14] & 0x0F) * 4;
        if (headerLength < 20 || 14 + headerLength > f.length) {
            return;
        }
        new Ipv4Packet().wrap(MemorySegment.ofArray(f), 14, headerLength).fillChecksum();
    }
}
