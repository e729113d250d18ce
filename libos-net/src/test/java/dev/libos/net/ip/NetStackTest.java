package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.hw.hosted.net.MemorySwitch;
import dev.libos.net.wire.IcmpRepr;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetStackTest {
    private static final long MILLI = 1_000_000L;
    private static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    private record Reply(Ipv4Address from, int seq, byte[] data) {
    }

    @Test
    void pingIsAnsweredOverALinkIncludingAFragmentedOne() {
        Simulation sim = new Simulation();
        MemoryLink link = new MemoryLink("l", 1, sim.clock, LinkFaults.NONE.withDelay(50_000, 0), 1);
        NetStack a = sim.add(new NetStack(NetStackSettings.DEFAULTS));
        NetStack b = sim.add(new NetStack(NetStackSettings.DEFAULTS));
        a.configure(a.addInterface(link.a()), A, 24);
        b.configure(b.addInterface(link.b()), B, 24);
        List<Reply> replies = new ArrayList<>();
        a.icmp().setEchoListener((from, id, seq, data, now) -> replies.add(new Reply(from, seq, Packets.bytes(data))));
        byte[] small = {1, 2, 3, 4, 5};
        byte[] large = new byte[5000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 13);
        }
        assertTrue(a.icmp().sendEchoRequest(B, 7, 1, small));
        assertTrue(a.icmp().sendEchoRequest(B, 7, 2, large));
        sim.run(10 * MILLI, 10_000);
        assertEquals(2, replies.size());
        assertEquals(B, replies.get(0).from());
        assertArrayEquals(small, replies.get(0).data());
        assertArrayEquals(large, replies.get(1).data());
        StackStats sb = b.stats();
        assertEquals(2, sb.ip(IpCounter.ICMP_ECHO_REPLIES_SENT));
        assertEquals(1, sb.ip(IpCounter.REASSEMBLY_OK));
        assertEquals(4, sb.ip(IpCounter.IPV4_FRAGMENTS_SENT), "the 5008-byte reply in 4 fragments");
        assertEquals(1, a.stats().ip(IpCounter.REASSEMBLY_OK));
    }

    @Test
    void unknownProtocolIsAnsweredWithProtocolUnreachableButNotAboutAnError() {
        TestDevice device = new TestDevice(MacAddress.parse("02:00:00:00:00:01"));
        NetStack stack = new NetStack(NetStackSettings.DEFAULTS);
        NetInterface iface = stack.addInterface(device);
        stack.configure(iface, A, 24);
        MacAddress peer = MacAddress.parse("02:00:00:00:00:02");
        device.inject(Packets.arpReply(peer, B, iface.mac(), A));
        device.inject(Packets.ipv4(iface.mac(), peer, Packets.header(99, B, A, 1), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        stack.poll(0);
        List<byte[]> out = device.takeTransmitted();
        var error = (dev.libos.net.wire.FrameSummary.Icmp) Packets.parse(out.get(out.size() - 1));
        assertEquals(new IcmpRepr.DestinationUnreachable(2, 0, 20 + 8), error.icmp());
        assertEquals(B, error.ipv4().destination());
        assertEquals(1, stack.counters().get(IpCounter.IPV4_NO_PROTOCOL));
        // An ICMP error about an ICMP error is never sent: deliver a datagram of protocol 99 that
        // quotes nothing, then an unreachable ICMP that we would otherwise have to report.
        byte[] unreachable = new byte[36];
        unreachable[0] = 3;
        stack.icmp().destinationUnreachable(Packets.header(1, B, A, 2).withPayloadLength(36),
                java.lang.foreign.MemorySegment.ofArray(unreachable), 3, 0);
        assertEquals(1, stack.counters().get(IpCounter.ICMP_ERRORS_SUPPRESSED));
        // Broadcast destinations are not answered either.
        device.inject(Packets.ipv4(MacAddress.BROADCAST, peer, Packets.header(99, B, Ipv4Address.parse("10.0.0.255"), 3),
                new byte[8]));
        stack.poll(1);
        assertEquals(2, stack.counters().get(IpCounter.ICMP_ERRORS_SUPPRESSED));
        assertEquals(1, stack.counters().get(IpCounter.ICMP_ERRORS_SENT));
    }

    @Test
    void icmpErrorsAreRateLimited() {
        TestDevice device = new TestDevice(MacAddress.parse("02:00:00:00:00:01"));
        NetStack stack = new NetStack(NetStackSettings.DEFAULTS.withIcmpErrorRate(MILLI, 2));
        NetInterface iface = stack.addInterface(device);
        stack.configure(iface, A, 24);
        MacAddress peer = MacAddress.parse("02:00:00:00:00:02");
        device.inject(Packets.arpReply(peer, B, iface.mac(), A));
        for (int i = 0; i < 5; i++) {
            device.inject(Packets.ipv4(iface.mac(), peer, Packets.header(99, B, A, i), new byte[8]));
        }
        stack.poll(0);
        assertEquals(2, stack.counters().get(IpCounter.ICMP_ERRORS_SENT));
        assertEquals(3, stack.counters().get(IpCounter.ICMP_ERRORS_RATE_LIMITED));
        device.inject(Packets.ipv4(iface.mac(), peer, Packets.header(99, B, A, 9), new byte[8]));
        stack.poll(MILLI);
        assertEquals(3, stack.counters().get(IpCounter.ICMP_ERRORS_SENT), "one token back after 1 ms");
    }

    @Test
    void threeHostsResolveEachOtherAcrossASwitch() {
        Simulation sim = new Simulation();
        MemorySwitch sw = new MemorySwitch("sw", 3, 3, sim.clock, LinkFaults.NONE.withDelay(10_000, 0), 5);
        List<NetStack> hosts = new ArrayList<>();
        List<Ipv4Address> addresses = new ArrayList<>();
        int[] replies = new int[3];
        for (int i = 0; i < 3; i++) {
            NetStack s = sim.add(new NetStack(NetStackSettings.DEFAULTS));
            Ipv4Address address = Ipv4Address.of(192, 168, 5, 10 + i);
            s.configure(s.addInterface(sw.port(i)), address, 24);
            int host = i;
            s.icmp().setEchoListener((from, id, seq, data, now) -> replies[host]++);
            hosts.add(s);
            addresses.add(address);
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    assertTrue(hosts.get(i).icmp().sendEchoRequest(addresses.get(j), i, j, new byte[16]));
                }
            }
        }
        sim.run(5 * MILLI, 5_000);
        assertArrayEquals(new int[] {2, 2, 2}, replies);
        for (int i = 0; i < 3; i++) {
            NetInterface iface = hosts.get(i).interfaces().get(0);
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    assertEquals(MacAddress.of(sw.port(j).macAddress()),
                            iface.arp().lookup(addresses.get(j), sim.clock.nanoTime()), i + " knows " + j);
                }
            }
            // Unicast floods reached hosts they were not for; those were dropped and counted, not answered.
            assertEquals(0, hosts.get(i).counters().get(IpCounter.IPV4_NOT_FOR_US));
        }
        assertTrue(sw.framesForwarded() > 0);
    }
}
