package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Builds whole frames from reprs with the main emit paths, and the summary a parser must return. */
final class FrameBuilder {
    /** A frame and what parsing it must give. */
    record Built(MemorySegment frame, FrameSummary expected) {
    }

    private FrameBuilder() {
    }

    private static MemorySegment allocate(int length, int padding) {
        return MemorySegment.ofArray(new byte[length + padding]);
    }

    static Built arp(EthernetRepr ethernet, ArpRepr arp, int padding) {
        MemorySegment frame = allocate(ethernet.bufferLength(arp.bufferLength()), padding);
        ethernet.emit(new EthernetFrame().wrap(frame, 0, (int) frame.byteSize()));
        arp.emit(new ArpPacket().wrap(frame, EthernetDescriptor.HEADER_LENGTH, arp.bufferLength()));
        return new Built(frame, new FrameSummary.Arp(ethernet, arp));
    }

    /**
     * An IPv4 frame; {@code transport} is an IcmpRepr, UdpRepr, TcpRepr, or null for an unparsed
     * payload (fragment or other protocol), in which case {@code payload} is the whole IPv4 payload.
     */
    static Built ipv4(EthernetRepr ethernet, Ipv4Repr ipv4, Object transport, byte[] payload, int padding) {
        MemorySegment frame = allocate(ethernet.bufferLength(ipv4.bufferLength()), padding);
        ethernet.emit(new EthernetFrame().wrap(frame, 0, (int) frame.byteSize()));
        int ipStart = EthernetDescriptor.HEADER_LENGTH;
        int l4Start = ipStart + ipv4.headerLength();
        int l4Length = ipv4.payloadLength();
        Ipv4Address src = ipv4.source();
        Ipv4Address dst = ipv4.destination();
        FrameSummary expected;
        int payloadOffset;
        switch (transport) {
            case IcmpRepr icmp -> {
                payloadOffset = l4Start + IcmpDescriptor.HEADER_LENGTH;
                copy(payload, frame, payloadOffset);
                icmp.emit(new IcmpPacket().wrap(frame, l4Start, l4Length));
                expected = new FrameSummary.Icmp(ethernet, ipv4, icmp, payloadOffset, payload.length);
            }
            case UdpRepr udp -> {
                payloadOffset = l4Start + UdpDescriptor.HEADER_LENGTH;
                copy(payload, frame, payloadOffset);
                udp.emit(new UdpDatagram().wrap(frame, l4Start, l4Length), src, dst);
                expected = new FrameSummary.Udp(ethernet, ipv4, udp, payloadOffset, payload.length);
            }
            case TcpRepr tcp -> {
                payloadOffset = l4Start + tcp.headerLength();
                copy(payload, frame, payloadOffset);
                tcp.emit(new TcpSegment().wrap(frame, l4Start, l4Length), src, dst);
                expected = new FrameSummary.Tcp(ethernet, ipv4, tcp, payloadOffset, payload.length);
            }
            case null -> {
                copy(payload, frame, l4Start);
                expected = new FrameSummary.Ipv4Unparsed(ethernet, ipv4, l4Start, payload.length);
            }
            default -> throw new IllegalArgumentException("not a transport repr: " + transport);
        }
        ipv4.emit(new Ipv4Packet().wrap(frame, ipStart, ipv4.bufferLength()));
        return new Built(frame, expected);
    }

    private static void copy(byte[] payload, MemorySegment frame, int at) {
        MemorySegment.copy(payload, 0, frame, ValueLayout.JAVA_BYTE, at, payload.length);
    }

    /** A random valid frame of any kind the parser accepts. */
    static Built random(RandomReprs r, java.util.SplittableRandom random) {
        int padding = random.nextInt(4) == 0 ? random.nextInt(1, 40) : 0;
        int kind = random.nextInt(6);
        if (kind == 0) {
            return arp(r.ethernet(EtherType.ARP), r.arp(), padding);
        }
        EthernetRepr ethernet = r.ethernet(EtherType.IPV4);
        return switch (kind) {
            case 1 -> {
                byte[] payload = r.bytes(r.payloadLength(1400));
                IcmpRepr icmp = r.icmp(payload.length);
                yield ipv4(ethernet, r.ipv4(IpProtocol.ICMP, icmp.bufferLength(), false), icmp, payload, padding);
            }
            case 2 -> {
                byte[] payload = r.bytes(r.payloadLength(1400));
                UdpRepr udp = r.udp(payload.length);
                yield ipv4(ethernet, r.ipv4(IpProtocol.UDP, udp.bufferLength(), false), udp, payload, padding);
            }
            case 3, 4 -> {
                byte[] payload = r.bytes(r.payloadLength(1400));
                TcpRepr tcp = r.tcp(payload.length);
                yield ipv4(ethernet, r.ipv4(IpProtocol.TCP, tcp.bufferLength(), false), tcp, payload, padding);
            }
            default -> {
                byte[] payload = r.bytes(r.payloadLength(1400));
                boolean fragment = random.nextBoolean();
                int protocol = fragment ? r.u8() : otherProtocol(r);
                yield ipv4(ethernet, r.ipv4(protocol, payload.length, fragment), null, payload, padding);
            }
        };
    }

    private static int otherProtocol(RandomReprs r) {
        int protocol;
        do {
            protocol = r.u8();
        } while (protocol == IpProtocol.ICMP || protocol == IpProtocol.UDP || protocol == IpProtocol.TCP);
        return protocol;
    }
}
