package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.ip.udp.UdpCounter;
import dev.libos.net.ip.udp.UdpLayer;
import dev.libos.net.ip.udp.UdpMessage;
import dev.libos.net.ip.udp.UdpSocket;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IcmpRepr;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UdpLayerTest {
    private static final Ipv4Address ME = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.2");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");

    private final TestDevice device = new TestDevice(MacAddress.parse("02:00:00:00:00:01"));
    private final NetStack stack = new NetStack(NetStackSettings.DEFAULTS);
    private final UdpLayer udp = new UdpLayer(stack, stack.icmp());
    private NetInterface iface;

    @BeforeEach
    void setUp() {
        iface = stack.addInterface(device);
        stack.register(IpProtocol.UDP, udp);
        stack.configure(iface, ME, 24);
        device.inject(Packets.arpReply(PEER_MAC, PEER, iface.mac(), ME));
        stack.poll(0);
        device.takeTransmitted();
    }

    private void receive(byte[] udpDatagram) {
        device.inject(Packets.ipv4(iface.mac(), PEER_MAC, Packets.header(IpProtocol.UDP, PEER, ME, 5), udpDatagram));
        stack.poll(1);
    }

    @Test
    void deliversToTheBoundSocketAndSendsWithAValidChecksum() {
        UdpSocket socket = udp.bind(Ipv4Address.UNSPECIFIED, 5000, 8);
        AtomicInteger wakeups = new AtomicInteger();
        socket.setReadinessListener(wakeups::incrementAndGet);
        assertNull(socket.receive());
        receive(Packets.udp(PEER, ME, 1234, 5000, new byte[] {9, 8, 7}));
        assertEquals(1, wakeups.get());
        UdpMessage m = socket.receive();
        assertEquals(PEER, m.source());
        assertEquals(1234, m.sourcePort());
        assertArrayEquals(new byte[] {9, 8, 7}, m.data());
        assertTrue(socket.send(PEER, 1234, new byte[] {1, 2}));
        List<byte[]> out = device.takeTransmitted();
        FrameSummary.Udp sent = (FrameSummary.Udp) Packets.parse(out.get(0)); // the parser verifies the checksum
        assertEquals(5000, sent.udp().sourcePort());
        assertEquals(ME, sent.ipv4().source());
        assertEquals(1, udp.counters().get(UdpCounter.SENT));
    }

    @Test
    void acceptsAZeroChecksumAndDropsABadOne() {
        UdpSocket socket = udp.bind(Ipv4Address.UNSPECIFIED, 5000, 8);
        byte[] d = Packets.udp(PEER, ME, 1, 5000, new byte[] {1, 2, 3});
        d[6] = 0;
        d[7] = 0;
        receive(d);
        assertNotNull(socket.receive(), "RFC 768: zero means no checksum");
        byte[] bad = Packets.udp(PEER, ME, 1, 5000, new byte[] {1, 2, 3});
        bad[7] ^= 0x40;
        receive(bad);
        assertNull(socket.receive());
        // The frame parser drops it before UDP sees it; a reassembled one would be caught by UdpLayer.
        assertEquals(1, iface.stats().wireDrops().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void closedPortsAreAnsweredWithPortUnreachable() {
        byte[] d = Packets.udp(PEER, ME, 1111, 6000, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        receive(d);
        assertEquals(1, udp.counters().get(UdpCounter.NO_PORT));
        FrameSummary.Icmp error = (FrameSummary.Icmp) Packets.parse(device.takeTransmitted().get(0));
        assertEquals(new IcmpRepr.DestinationUnreachable(3, 0, 28), error.icmp());
        assertEquals(PEER, error.ipv4().destination());
    }

    @Test
    void aFullQueueDropsAndCounts() {
        UdpSocket socket = udp.bind(Ipv4Address.UNSPECIFIED, 5000, 2);
        for (int i = 0; i < 5; i++) {
            receive(Packets.udp(PEER, ME, 1, 5000, new byte[] {(byte) i}));
        }
        assertEquals(2, socket.available());
        assertEquals(3, socket.drops());
        assertEquals(3, udp.counters().get(UdpCounter.QUEUE_OVERFLOW));
        assertEquals(0, socket.receive().data()[0]);
    }

    @Test
    void bindTableRefusesTakenPortsAndHandsOutEphemeralOnes() {
        UdpSocket first = udp.bind(Ipv4Address.UNSPECIFIED, 7, 1);
        assertNull(udp.bind(Ipv4Address.UNSPECIFIED, 7, 1));
        first.close();
        assertNotNull(udp.bind(Ipv4Address.UNSPECIFIED, 7, 1));
        UdpSocket e1 = udp.bind(Ipv4Address.UNSPECIFIED, 0, 1);
        UdpSocket e2 = udp.bind(Ipv4Address.UNSPECIFIED, 0, 1);
        assertTrue(e1.localPort() >= UdpLayer.FIRST_EPHEMERAL_PORT);
        assertTrue(e2.localPort() != e1.localPort());
        // A socket bound to another address does not get datagrams for ours.
        udp.bind(Ipv4Address.parse("10.0.0.77"), 8000, 1);
        receive(Packets.udp(PEER, ME, 1, 8000, new byte[1]));
        assertEquals(1, udp.counters().get(UdpCounter.NO_PORT));
    }
}
