package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;

/**
 * Parses a received Ethernet frame down the layers (Ethernet, then ARP or IPv4, then ICMP, UDP
 * or TCP), checking each layer before trusting any of its fields, and counts the outcome in a
 * {@link WireCounters}. Malformed input is a counted {@link FrameSummary.Dropped}, never an
 * exception. Owned by one thread; reuses its views, so it allocates only the records it returns.
 */
public final class FrameParser {
    private final WireCounters counters;
    private final EthernetFrame ethernetView = new EthernetFrame();
    private final ArpPacket arpView = new ArpPacket();
    private final Ipv4Packet ipv4View = new Ipv4Packet();
    private final IcmpPacket icmpView = new IcmpPacket();
    private final UdpDatagram udpView = new UdpDatagram();
    private final TcpSegment tcpView = new TcpSegment();

    /** A parser counting into {@code counters}. */
    public FrameParser(WireCounters counters) {
        if (counters == null) {
            throw new IllegalArgumentException("counters must not be null");
        }
        this.counters = counters;
    }

    /** The counters this parser updates. */
    public WireCounters counters() {
        return counters;
    }

    /** Parses a whole segment as one frame. */
    public FrameSummary parse(MemorySegment frame) {
        return parse(frame, false);
    }

    /**
     * Parses a whole segment as one frame; when {@code transportChecksumVerified} (the device
     * validated it, {@code NetDevice.FrameSink}) the TCP or UDP checksum is not computed again.
     */
    public FrameSummary parse(MemorySegment frame, boolean transportChecksumVerified) {
        long size = frame.byteSize();
        return parse(frame, 0, size > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) size, transportChecksumVerified);
    }

    /** Parses {@code length} bytes at {@code offset} as one frame and counts the outcome. */
    public FrameSummary parse(MemorySegment segment, long offset, int length) {
        return parse(segment, offset, length, false);
    }

    private FrameSummary parse(MemorySegment segment, long offset, int length, boolean transportChecksumVerified) {
        FrameSummary summary = classify(segment, offset, length, transportChecksumVerified);
        if (summary instanceof FrameSummary.Dropped dropped) {
            counters.countDrop(dropped.reason());
        } else {
            counters.countAccepted();
        }
        return summary;
    }

    private FrameSummary classify(MemorySegment segment, long offset, int length, boolean transportChecksumVerified) {
        WireCheck check = ethernetView.wrapChecked(segment, offset, length);
        if (!check.ok()) {
            return FrameSummary.Dropped.of(check);
        }
        EthernetRepr ethernet = EthernetRepr.parse(ethernetView);
        long payloadStart = offset + ethernetView.payloadOffset();
        int payloadLength = ethernetView.payloadLength();
        return switch (ethernet.etherType()) {
            case EtherType.ARP -> arp(ethernet, segment, payloadStart, payloadLength);
            case EtherType.IPV4 -> ipv4(ethernet, segment, offset, payloadStart, payloadLength, transportChecksumVerified);
            default -> FrameSummary.Dropped.of(WireCheck.ETHERNET_UNSUPPORTED_TYPE);
        };
    }

    private FrameSummary arp(EthernetRepr ethernet, MemorySegment segment, long start, int length) {
        WireCheck check = arpView.wrapChecked(segment, start, length);
        if (!check.ok()) {
            return FrameSummary.Dropped.of(check);
        }
        return new FrameSummary.Arp(ethernet, ArpRepr.parse(arpView));
    }

    private FrameSummary ipv4(EthernetRepr ethernet, MemorySegment segment, long frameStart, long start, int length,
                              boolean transportChecksumVerified) {
        WireCheck check = ipv4View.wrapChecked(segment, start, length);
        if (!check.ok()) {
            return FrameSummary.Dropped.of(check);
        }
        Ipv4Repr ipv4 = Ipv4Repr.parse(ipv4View);
        // The datagram ends at its total length; Ethernet padding after it is ignored.
        long l4Start = start + ipv4View.payloadOffset();
        int l4Length = ipv4View.payloadLength();
        int l4Offset = (int) (l4Start - frameStart);
        if (ipv4.isFragment()) {
            // Only a reassembled datagram has a complete transport header and checksum.
            return new FrameSummary.Ipv4Unparsed(ethernet, ipv4, l4Offset, l4Length);
        }
        int source = ipv4.source().value();
        int destination = ipv4.destination().value();
        switch (ipv4.protocol()) {
            case IpProtocol.ICMP -> {
                check = icmpView.wrapChecked(segment, l4Start, l4Length);
                if (!check.ok()) {
                    return FrameSummary.Dropped.of(check);
                }
                return new FrameSummary.Icmp(ethernet, ipv4, IcmpRepr.parse(icmpView),
                        l4Offset + IcmpDescriptor.HEADER_LENGTH, icmpView.payloadLength());
            }
            case IpProtocol.UDP -> {
                check = udpView.wrapChecked(segment, l4Start, l4Length, source, destination, transportChecksumVerified);
                if (!check.ok()) {
                    return FrameSummary.Dropped.of(check);
                }
                return new FrameSummary.Udp(ethernet, ipv4, UdpRepr.parse(udpView),
                        l4Offset + UdpDescriptor.HEADER_LENGTH, udpView.payloadLength());
            }
            case IpProtocol.TCP -> {
                check = tcpView.wrapChecked(segment, l4Start, l4Length, source, destination, transportChecksumVerified);
                if (!check.ok()) {
                    return FrameSummary.Dropped.of(check);
                }
                return new FrameSummary.Tcp(ethernet, ipv4, TcpRepr.parse(tcpView),
                        l4Offset + tcpView.payloadOffset(), tcpView.payloadLength());
            }
            default -> {
                return new FrameSummary.Ipv4Unparsed(ethernet, ipv4, l4Offset, l4Length);
            }
        }
    }
}
