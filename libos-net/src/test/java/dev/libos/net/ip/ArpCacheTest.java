package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.ip.arp.ArpSettings;
import dev.libos.net.wire.ArpOperation;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArpCacheTest {
    private static final long SECOND = 1_000_000_000L;
    private static final MacAddress MY_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address ME = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.2");

    private final TestDevice device = new TestDevice(MY_MAC);
    private final NetStack stack = new NetStack(NetStackSettings.DEFAULTS
            .withArp(new ArpSettings(60 * SECOND, SECOND, 3, 2, 4, SECOND)));
    private NetInterface iface;

    @BeforeEach
    void setUp() {
        iface = stack.addInterface(device);
        stack.configure(iface, ME, 24);
        stack.poll(0);
        List<byte[]> announced = device.takeTransmitted();
        assertEquals(1, announced.size(), "a gratuitous ARP on configuration");
        FrameSummary.Arp gratuitous = (FrameSummary.Arp) Packets.parse(announced.get(0));
        assertEquals(ME, gratuitous.arp().senderIp());
        assertEquals(ME, gratuitous.arp().targetIp());
    }

    private long count(IpCounter c) {
        return stack.counters().get(c);
    }

    private boolean sendPing(int seq) {
        return stack.icmp().sendEchoRequest(PEER, 1, seq, new byte[] {1, 2, 3});
    }

    @Test
    void queuesWhileResolvingThenFlushesOnReply() {
        assertTrue(sendPing(1));
        assertTrue(sendPing(2));
        assertFalse(sendPing(3), "only 2 packets may wait per address");
        assertEquals(1, count(IpCounter.ARP_QUEUE_OVERFLOW));
        List<byte[]> out = device.takeTransmitted();
        assertEquals(1, out.size(), "one request, not one per packet");
        FrameSummary.Arp request = (FrameSummary.Arp) Packets.parse(out.get(0));
        assertEquals(ArpOperation.REQUEST, request.arp().operation());
        assertEquals(PEER, request.arp().targetIp());
        assertTrue(request.ethernet().destination().isBroadcast());

        device.inject(Packets.arpReply(PEER_MAC, PEER, MY_MAC, ME));
        stack.poll(SECOND / 10);
        out = device.takeTransmitted();
        assertEquals(2, out.size());
        for (byte[] f : out) {
            FrameSummary.Icmp icmp = (FrameSummary.Icmp) Packets.parse(f);
            assertEquals(PEER_MAC, icmp.ethernet().destination());
        }
        assertEquals(PEER_MAC, iface.arp().lookup(PEER, SECOND));
        assertTrue(sendPing(4));
        assertEquals(1, device.takeTransmitted().size(), "resolved: sent at once");
    }

    @Test
    void theStacksNextTimerIsTheRetryThenTheEntrysExpiry() {
        assertEquals(Long.MAX_VALUE, stack.nextTimerDeadlineNanos(), "no entry, no timer");
        sendPing(1);
        assertEquals(SECOND, stack.nextTimerDeadlineNanos(), "the retry");
        stack.poll(SECOND);
        assertEquals(2 * SECOND, stack.nextTimerDeadlineNanos(), "the next retry");
        device.inject(Packets.arpReply(PEER_MAC, PEER, MY_MAC, ME));
        stack.poll(SECOND + SECOND / 2);
        assertTrue(stack.nextTimerDeadlineNanos() <= 2 * SECOND, "never later than a timer still set");
        stack.poll(2 * SECOND);
        assertEquals(SECOND + SECOND / 2 + 60 * SECOND, stack.nextTimerDeadlineNanos(), "resolved: its expiry");
    }

    @Test
    void retriesThenGivesUpAndDropsTheQueue() {
        sendPing(1);
        assertEquals(1, device.takeTransmitted().size());
        stack.poll(SECOND - 1);
        assertEquals(0, device.takeTransmitted().size());
        stack.poll(SECOND);
        assertEquals(1, device.takeTransmitted().size(), "second request");
        stack.poll(2 * SECOND);
        assertEquals(1, device.takeTransmitted().size(), "third request");
        stack.poll(3 * SECOND);
        assertEquals(0, device.takeTransmitted().size());
        assertEquals(1, count(IpCounter.ARP_UNRESOLVED));
        assertEquals(3 + 1, count(IpCounter.ARP_REQUESTS_SENT)); // plus the announcement
        assertEquals(0, iface.arp().size());
    }

    @Test
    void answersARequestForOurAddressAndLearnsTheAsker() {
        device.inject(Packets.arpRequest(PEER_MAC, PEER, ME));
        stack.poll(5);
        List<byte[]> out = device.takeTransmitted();
        assertEquals(1, out.size());
        FrameSummary.Arp reply = (FrameSummary.Arp) Packets.parse(out.get(0));
        assertEquals(ArpOperation.REPLY, reply.arp().operation());
        assertEquals(MY_MAC, reply.arp().senderMac());
        assertEquals(ME, reply.arp().senderIp());
        assertEquals(PEER_MAC, reply.arp().targetMac());
        assertEquals(PEER, reply.arp().targetIp());
        assertEquals(PEER_MAC, reply.ethernet().destination());
        assertEquals(PEER_MAC, iface.arp().lookup(PEER, 10));
    }

    @Test
    void ignoresRequestsForOtherAddresses() {
        device.inject(Packets.arpRequest(PEER_MAC, PEER, Ipv4Address.parse("10.0.0.9")));
        stack.poll(5);
        assertEquals(0, device.takeTransmitted().size());
        assertNull(iface.arp().lookup(PEER, 10), "RFC 826: learn only when the packet is for us or merges");
    }

    @Test
    void gratuitousArpRefreshesAnExistingEntryAndIsNotAnswered() {
        device.inject(Packets.arpRequest(PEER_MAC, PEER, ME));
        stack.poll(0);
        device.takeTransmitted();
        MacAddress moved = MacAddress.parse("02:00:00:00:00:99");
        device.inject(Packets.arpRequest(moved, PEER, PEER));
        stack.poll(SECOND + 10); // past the lock of the entry's first address (the next test)
        assertEquals(0, device.takeTransmitted().size(), "an announcement is not answered");
        assertEquals(moved, iface.arp().lookup(PEER, SECOND + 20));
        assertEquals(1, count(IpCounter.ARP_GRATUITOUS));
        // A gratuitous ARP for an address we have no entry for creates none.
        Ipv4Address stranger = Ipv4Address.parse("10.0.0.50");
        device.inject(Packets.arpRequest(moved, stranger, stranger));
        stack.poll(SECOND + 20);
        assertNull(iface.arp().lookup(stranger, SECOND + 30));
    }

    @Test
    void anotherAddressWithinTheLockIsRefusedAndTakenAfterIt() {
        assertTrue(sendPing(1));
        device.takeTransmitted();
        device.inject(Packets.arpReply(PEER_MAC, PEER, MY_MAC, ME));
        stack.poll(SECOND / 10);
        device.takeTransmitted();
        // What a faulty-link simulation delivered: the peer's reply again, one bit of its sender
        // MAC and of its target address flipped (ARP has no checksum).
        MacAddress corrupted = MacAddress.parse("02:00:00:00:01:02");
        device.inject(Packets.arpReply(corrupted, PEER, MY_MAC, Ipv4Address.parse("10.4.0.1")));
        stack.poll(SECOND / 10 + 100_000);
        assertEquals(PEER_MAC, iface.arp().lookup(PEER, SECOND / 5), "a changed address right after resolution is refused");
        assertEquals(1, count(IpCounter.ARP_CHANGE_REFUSED));
        // The same address again, or any address once the current one is a lock old, is taken.
        device.inject(Packets.arpReply(PEER_MAC, PEER, MY_MAC, ME));
        stack.poll(SECOND / 2);
        assertEquals(1, count(IpCounter.ARP_CHANGE_REFUSED));
        MacAddress moved = MacAddress.parse("02:00:00:00:00:99");
        device.inject(Packets.arpRequest(moved, PEER, PEER));
        stack.poll(SECOND / 10 + SECOND);
        assertEquals(moved, iface.arp().lookup(PEER, 2 * SECOND));
        assertEquals(1, count(IpCounter.ARP_CHANGE_REFUSED));
    }

    @Test
    void anotherHostClaimingOurAddressIsCountedNotLearned() {
        device.inject(Packets.arpRequest(PEER_MAC, ME, ME));
        device.inject(Packets.arpReply(PEER_MAC, ME, MY_MAC, ME));
        stack.poll(0);
        assertEquals(2, count(IpCounter.ARP_ADDRESS_CONFLICT));
        assertEquals(0, device.takeTransmitted().size());
        assertNull(iface.arp().lookup(ME, 1));
    }

    @Test
    void entriesExpireAfterTheirLifetimeUnlessRefreshed() {
        device.inject(Packets.arpReply(PEER_MAC, PEER, MY_MAC, ME));
        stack.poll(0);
        assertEquals(PEER_MAC, iface.arp().lookup(PEER, 60 * SECOND - 1));
        device.inject(Packets.arpReply(PEER_MAC, PEER, MY_MAC, ME));
        stack.poll(30 * SECOND);
        stack.poll(60 * SECOND);
        assertEquals(PEER_MAC, iface.arp().lookup(PEER, 60 * SECOND), "refreshed at 30 s");
        stack.poll(90 * SECOND);
        assertNull(iface.arp().lookup(PEER, 90 * SECOND));
        assertEquals(0, iface.arp().size());
        assertEquals(1, count(IpCounter.ARP_EXPIRED));
    }

    @Test
    void theCacheIsBoundedInEntries() {
        for (int i = 0; i < 6; i++) {
            stack.icmp().sendEchoRequest(Ipv4Address.of(10, 0, 0, 10 + i), 1, 1, new byte[0]);
        }
        assertEquals(4, iface.arp().size());
        assertEquals(2, count(IpCounter.ARP_CACHE_FULL));
    }

    @Test
    void ignoresArpWhileUnconfiguredAndFromGroupMacs() {
        device.inject(Packets.arpRequest(MacAddress.parse("03:00:00:00:00:01"), PEER, ME));
        stack.poll(0);
        assertEquals(1, count(IpCounter.ARP_IGNORED));
        stack.unconfigure(iface);
        device.inject(Packets.arpRequest(PEER_MAC, PEER, ME));
        stack.poll(1);
        assertEquals(2, count(IpCounter.ARP_IGNORED));
        assertEquals(0, device.takeTransmitted().size());
    }
}
