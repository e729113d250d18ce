package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.libos.net.ip.udp.UdpLayer;
import dev.libos.net.ip.udp.UdpSocket;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.tcp.TcpLayer;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Repr;
import dev.libos.net.wire.MacAddress;
import dev.libos.net.wire.TcpFlags;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpRepr;
import dev.libos.net.wire.TcpSegment;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Receive checksum offload: a frame the device vouches for ({@code FrameSink.onFrame(frame, true)})
 * is not checked again by UDP or TCP; every other frame is, and a reassembled datagram always is.
 * The datagrams here carry a checksum that does not verify, like a virtio NEEDS_CSUM frame whose
 * field holds only the pseudo-header sum.
 */
class ChecksumOffloadTest {
    private static final Ipv4Address ME = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.2");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:02");

    private final TestDevice device = new TestDevice(MacAddress.parse("02:00:00:00:00:01"));
    private final NetStack stack = new NetStack(NetStackSettings.DEFAULTS);
    private final UdpLayer udp = new UdpLayer(stack, stack.icmp());
    private final TcpLayer tcp = new TcpLayer(stack, TcpConfig.defaults(), new SplittableRandom(1), 16, 1L << 30);
    private NetInterface iface;

    @BeforeEach
    void setUp() {
        iface = stack.addInterface(device);
        stack.register(IpProtocol.UDP, udp);
        stack.register(IpProtocol.TCP, tcp);
        stack.configure(iface, ME, 24);
        device.inject(Packets.arpReply(PEER_MAC, PEER, iface.mac(), ME));
        stack.poll(0);
        device.takeTransmitted();
    }

    private byte[] frame(int protocol, byte[] transport) {
        return Packets.ipv4(iface.mac(), PEER_MAC, Packets.header(protocol, PEER, ME, 7), transport);
    }

    private static byte[] udpWithWrongChecksum() {
        byte[] d = Packets.udp(PEER, ME, 1234, 5000, new byte[] {1, 2, 3, 4});
        d[7] ^= 0x40;
        return d;
    }

    private static byte[] synWithWrongChecksum() {
        TcpRepr syn = new TcpRepr(40000, 80, 1000, 0, TcpFlags.SYN, 1000, 0, TcpOptions.NONE, 0);
        byte[] bytes = new byte[syn.bufferLength()];
        syn.emit(new TcpSegment().wrap(MemorySegment.ofArray(bytes), 0, bytes.length), PEER, ME);
        bytes[17] ^= 0x01;
        return bytes;
    }

    @Test
    void udpTrustsTheDeviceVerdictAndOtherwiseVerifies() {
        UdpSocket socket = udp.bind(Ipv4Address.UNSPECIFIED, 5000, 8);
        device.inject(frame(IpProtocol.UDP, udpWithWrongChecksum()));
        stack.poll(1);
        assertNull(socket.receive(), "without the device's word the checksum is verified");
        device.injectChecksumVerified(frame(IpProtocol.UDP, udpWithWrongChecksum()));
        stack.poll(2);
        assertNotNull(socket.receive(), "the device verified it: not computed again");
    }

    @Test
    void tcpTrustsTheDeviceVerdictAndOtherwiseVerifies() {
        device.inject(frame(IpProtocol.TCP, synWithWrongChecksum()));
        stack.poll(1);
        assertEquals(List.of(), device.takeTransmitted(), "a bad checksum: dropped silently");
        device.injectChecksumVerified(frame(IpProtocol.TCP, synWithWrongChecksum()));
        stack.poll(2);
        List<byte[]> out = device.takeTransmitted();
        assertEquals(1, out.size(), "the closed port answers the SYN");
        FrameSummary.Tcp rst = (FrameSummary.Tcp) Packets.parse(out.get(0));
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.tcp().flags() & (TcpFlags.RST | TcpFlags.ACK));
    }

    private void injectInTwoVerifiedFragments(byte[] datagram, int identification) {
        Ipv4Repr base = Packets.header(IpProtocol.UDP, PEER, ME, identification);
        device.injectChecksumVerified(Packets.ipv4(iface.mac(), PEER_MAC, Packets.fragment(base, 0, true),
                Arrays.copyOfRange(datagram, 0, 8)));
        device.injectChecksumVerified(Packets.ipv4(iface.mac(), PEER_MAC, Packets.fragment(base, 8, false),
                Arrays.copyOfRange(datagram, 8, datagram.length)));
    }

    @Test
    void aReassembledDatagramIsAlwaysVerified() {
        UdpSocket socket = udp.bind(Ipv4Address.UNSPECIFIED, 5000, 8);
        injectInTwoVerifiedFragments(Packets.udp(PEER, ME, 1234, 5000, new byte[] {1, 2, 3, 4}), 9);
        stack.poll(1);
        assertNotNull(socket.receive(), "control: a good datagram in two fragments arrives");
        injectInTwoVerifiedFragments(udpWithWrongChecksum(), 10);
        stack.poll(2);
        assertNull(socket.receive(), "a verdict on a fragment says nothing about the whole datagram");
    }
}
