package dev.libos.net.ip;

import dev.libos.net.wire.ArpOperation;
import dev.libos.net.wire.ArpPacket;
import dev.libos.net.wire.ArpRepr;
import dev.libos.net.wire.EtherType;
import dev.libos.net.wire.EthernetFrame;
import dev.libos.net.wire.EthernetRepr;
import dev.libos.net.wire.FrameParser;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IcmpPacket;
import dev.libos.net.wire.IcmpRepr;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Packet;
import dev.libos.net.wire.Ipv4Repr;
import dev.libos.net.wire.MacAddress;
import dev.libos.net.wire.UdpDatagram;
import dev.libos.net.wire.UdpRepr;
import dev.libos.net.wire.WireCounters;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Builds test frames with the wire records. */
public final class Packets {
    private Packets() {
    }

    public static byte[] arp(MacAddress ethDst, ArpRepr arp) {
        byte[] f = new byte[42];
        MemorySegment s = MemorySegment.ofArray(f);
        new EthernetRepr(ethDst, arp.senderMac(), EtherType.ARP).emit(new EthernetFrame().wrap(s, 0, 14));
        arp.emit(new ArpPacket().wrap(s, 14, 28));
        return f;
    }

    public static byte[] arpRequest(MacAddress from, Ipv4Address fromIp, Ipv4Address target) {
        return arp(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, from, fromIp, MacAddress.ZERO, target));
    }

    public static byte[] arpReply(MacAddress from, Ipv4Address fromIp, MacAddress to, Ipv4Address toIp) {
        return arp(to, new ArpRepr(ArpOperation.REPLY, from, fromIp, to, toIp));
    }

    /** An IPv4 frame with {@code payload} after a header built from {@code ip} (payload length taken from the array). */
    public static byte[] ipv4(MacAddress dst, MacAddress src, Ipv4Repr ip, byte[] payload) {
        Ipv4Repr header = ip.withPayloadLength(payload.length);
        byte[] f = new byte[14 + header.bufferLength()];
        MemorySegment s = MemorySegment.ofArray(f);
        new EthernetRepr(dst, src, EtherType.IPV4).emit(new EthernetFrame().wrap(s, 0, 14));
        header.emit(new Ipv4Packet().wrap(s, 14, header.bufferLength()));
        System.arraycopy(payload, 0, f, 14 + header.headerLength(), payload.length);
        return f;
    }

    public static Ipv4Repr header(int protocol, Ipv4Address src, Ipv4Address dst, int id) {
        return new Ipv4Repr(0, 0, id, false, false, 0, 64, protocol, src, dst, null, 0);
    }

    public static Ipv4Repr fragment(Ipv4Repr base, int offset, boolean more) {
        return new Ipv4Repr(base.dscp(), base.ecn(), base.identification(), false, more, offset, base.timeToLive(),
                base.protocol(), base.source(), base.destination(), base.options(), 0);
    }

    public static byte[] echoRequest(int id, int seq, byte[] data) {
        IcmpRepr.EchoRequest r = new IcmpRepr.EchoRequest(id, seq, data.length);
        byte[] m = new byte[r.bufferLength()];
        System.arraycopy(data, 0, m, 8, data.length);
        r.emit(new IcmpPacket().wrap(MemorySegment.ofArray(m), 0, m.length));
        return m;
    }

    public static byte[] udp(Ipv4Address src, Ipv4Address dst, int sport, int dport, byte[] data) {
        UdpRepr r = new UdpRepr(sport, dport, data.length);
        byte[] m = new byte[r.bufferLength()];
        System.arraycopy(data, 0, m, 8, data.length);
        r.emit(new UdpDatagram().wrap(MemorySegment.ofArray(m), 0, m.length), src, dst);
        return m;
    }

    public static FrameSummary parse(byte[] frame) {
        return new FrameParser(new WireCounters()).parse(MemorySegment.ofArray(frame), false);
    }

    public static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    public static final int ICMP = IpProtocol.ICMP;
}
