package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;

/**
 * Parses a received Ethernet frame down the layers (Ethernet, then ARP or IPv4, then ICMP, UDP
 * or TCP), checking each layer before trusting any of its fields, and counts the outcome in a
 * {@link WireCounters}. Malformed input is a counted {@link FrameSummary.Dropped}, never an
 * exception. Owned by one thread.
 *
 * <p>It reuses its views and the IPv4 and TCP headers it hands out ({@link MutableIpv4Header},
 * {@link MutableTcpHeader}) and its one TCP summary, and gives out the last Ethernet header,
 * addresses and TCP options again while they are equal, so a TCP flow's frames allocate nothing
 * here in steady state (issue 11). Hence a summary and its headers are valid until the next {@code
 * parse}: see {@link FrameSummary}. ARP, ICMP and UDP summaries are still records per frame.
 * The stack never parses a frame while handling another: devices hand frames over in {@code
 * NetDevice.receive}, never from inside {@code transmit} (the TCP layer is not re-entrant either).
 */
public final class FrameParser {
    private final WireCounters counters;
    private final EthernetFrame ethernetView = new EthernetFrame();
    private final ArpPacket arpView = new ArpPacket();
    private final Ipv4Packet ipv4View = new Ipv4Packet();
    private final IcmpPacket icmpView = new IcmpPacket();
    private final UdpDatagram udpView = new UdpDatagram();
    private final TcpSegment tcpView = new TcpSegment();
    // The last headers and addresses made, given out again for equal values (they are
    // immutable): a flow's frames share them, so its steady state allocates none of them. The
    // TCP options are kept without timestamps, which the TCP header holds as numbers.
    private EthernetRepr lastEthernet;
    private Ipv4Address lastSource = Ipv4Address.UNSPECIFIED;
    private Ipv4Address lastDestination = Ipv4Address.UNSPECIFIED;
    private TcpOptions lastTcpOptions = TcpOptions.NONE;
    // Filled again for every datagram and segment; only valid until the next parse.
    private final MutableIpv4Header ipv4Header = new MutableIpv4Header();
    private final MutableTcpHeader tcpHeader = new MutableTcpHeader();
    private final FrameSummary.Tcp tcpSummary = new FrameSummary.Tcp(null, ipv4Header, tcpHeader, 0, 0);

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

    /**
     * Parses one received frame, the whole of {@code frame}, and counts the outcome. The
     * transport checksum (TCP, UDP) is verified here and nowhere above: once per frame, or not
     * at all when {@code transportChecksumVerified} (the device vouched for it, see {@code
     * NetDevice.FrameSink}). The layers above take the returned summary as it is; it and its
     * headers are valid until this parser's next call.
     */
    public FrameSummary parse(MemorySegment frame, boolean transportChecksumVerified) {
        long size = frame.byteSize();
        int length = size > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) size;
        return count(classify(frame, 0, length, transportChecksumVerified));
    }

    /**
     * Parses the transport layer of an IPv4 datagram whose header was already parsed, such as a
     * reassembled one ({@code transport} holds the IPv4 payload; the summary's offsets are
     * relative to it). The checksum is always verified: a device's verdict covers one frame,
     * never a reassembled datagram. Not counted in {@link #counters()}, which count frames. A TCP
     * summary's header is this parser's reused one, valid until its next call (the IPv4 header
     * is {@code ipv4}, as given).
     */
    public FrameSummary parseDatagram(EthernetRepr ethernet, Ipv4Header ipv4, MemorySegment transport) {
        long size = transport.byteSize();
        if (size != ipv4.payloadLength()) {
            return FrameSummary.Dropped.of(WireCheck.IPV4_TRUNCATED);
        }
        return transport(ethernet, ipv4, transport, 0, 0, (int) size, false);
    }

    private FrameSummary count(FrameSummary summary) {
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
        EthernetRepr ethernet = ethernet();
        long payloadStart = offset + ethernetView.payloadOffset();
        int payloadLength = ethernetView.payloadLength();
        return switch (ethernet.etherType()) {
            case EtherType.ARP -> arp(ethernet, segment, payloadStart, payloadLength);
            case EtherType.IPV4 -> ipv4(ethernet, segment, offset, payloadStart, payloadLength, transportChecksumVerified);
            default -> FrameSummary.Dropped.of(WireCheck.ETHERNET_UNSUPPORTED_TYPE);
        };
    }

    private EthernetRepr ethernet() {
        EthernetRepr last = lastEthernet;
        if (last == null || last.destination().value() != ethernetView.destination()
                || last.source().value() != ethernetView.source() || last.etherType() != ethernetView.etherType()) {
            lastEthernet = last = EthernetRepr.parse(ethernetView);
        }
        return last;
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
        int source = ipv4View.sourceAddress();
        int destination = ipv4View.destinationAddress();
        if (lastSource.value() != source) {
            lastSource = new Ipv4Address(source);
        }
        if (lastDestination.value() != destination) {
            lastDestination = new Ipv4Address(destination);
        }
        Ipv4Header ipv4 = ipv4Header.set(ipv4View, lastSource, lastDestination);
        // The datagram ends at its total length; Ethernet padding after it is ignored.
        long l4Start = start + ipv4View.payloadOffset();
        int l4Length = ipv4View.payloadLength();
        int l4Offset = (int) (l4Start - frameStart);
        if (ipv4.isFragment()) {
            // Only a reassembled datagram has a complete transport header and checksum.
            return new FrameSummary.Ipv4Unparsed(ethernet, ipv4, l4Offset, l4Length);
        }
        return transport(ethernet, ipv4, segment, l4Start, l4Offset, l4Length, transportChecksumVerified);
    }

    /**
     * The transport layer of a whole (unfragmented or reassembled) datagram at {@code l4Start};
     * {@code l4Offset} is where it starts relative to what the summary's offsets count from.
     */
    private FrameSummary transport(EthernetRepr ethernet, Ipv4Header ipv4, MemorySegment segment, long l4Start,
                                   int l4Offset, int l4Length, boolean transportChecksumVerified) {
        int source = ipv4.source().value();
        int destination = ipv4.destination().value();
        WireCheck check;
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
                lastTcpOptions = tcpHeader.set(tcpView, lastTcpOptions); // timestamps as numbers, the rest shared
                return tcpSummary.set(ethernet, ipv4, tcpHeader,
                        l4Offset + tcpView.payloadOffset(), tcpView.payloadLength());
            }
            default -> {
                return new FrameSummary.Ipv4Unparsed(ethernet, ipv4, l4Offset, l4Length);
            }
        }
    }
}
