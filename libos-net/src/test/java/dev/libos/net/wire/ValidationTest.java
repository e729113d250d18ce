package dev.libos.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every validation reason, produced by at least one crafted input, and counted by the parser. */
class ValidationTest {
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address SRC = Ipv4Address.parse("192.0.2.1");
    private static final Ipv4Address DST = Ipv4Address.parse("192.0.2.2");
    private static final int IP = EthernetDescriptor.HEADER_LENGTH;
    private static final int L4 = IP + Ipv4Descriptor.MIN_HEADER_LENGTH;

    private record Case(String name, MemorySegment frame, WireCheck expected) {
    }

    private final List<Case> cases = new ArrayList<>();

    private static MemorySegment arpFrame() {
        return FrameBuilder.arp(new EthernetRepr(MacAddress.BROADCAST, A, EtherType.ARP),
                new ArpRepr(ArpOperation.REQUEST, A, SRC, MacAddress.ZERO, DST), 0).frame();
    }

    private static MemorySegment ipv4Frame(Object transport, int payloadLength) {
        byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 3);
        }
        int protocol;
        int l4Length;
        switch (transport) {
            case IcmpRepr icmp -> { protocol = IpProtocol.ICMP; l4Length = icmp.bufferLength(); }
            case UdpRepr udp -> { protocol = IpProtocol.UDP; l4Length = udp.bufferLength(); }
            case TcpRepr tcp -> { protocol = IpProtocol.TCP; l4Length = tcp.bufferLength(); }
            default -> throw new IllegalArgumentException(String.valueOf(transport));
        }
        return FrameBuilder.ipv4(new EthernetRepr(B, A, EtherType.IPV4),
                Ipv4Repr.simple(protocol, SRC, DST, 7, l4Length), transport, payload, 0).frame();
    }

    private static MemorySegment icmpFrame() {
        return ipv4Frame(new IcmpRepr.EchoRequest(1, 2, 16), 16);
    }

    private static MemorySegment udpFrame() {
        return ipv4Frame(new UdpRepr(5353, 53, 12), 12);
    }

    private static MemorySegment tcpFrame(TcpOptions options) {
        return ipv4Frame(new TcpRepr(1234, 80, 1, 2, TcpFlags.ACK, 1000, 0, options, 10), 10);
    }

    private static MemorySegment tcpFrame() {
        return tcpFrame(TcpOptions.NONE);
    }

    private static MemorySegment truncate(MemorySegment frame, long length) {
        return MemorySegment.ofArray(frame.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /** Applies {@code edit} to the frame's IPv4 header, then fixes the header checksum. */
    private static MemorySegment editIpv4(MemorySegment frame, Consumer<Ipv4Packet> edit) {
        Ipv4Packet ip = new Ipv4Packet().wrap(frame, IP, (int) frame.byteSize() - IP);
        edit.accept(ip);
        ip.fillChecksum();
        return frame;
    }

    /** Shortens the datagram (IPv4 total length and frame) to {@code l4Length} transport bytes. */
    private static MemorySegment shortenTransport(MemorySegment frame, int l4Length) {
        MemorySegment cut = truncate(frame, L4 + l4Length);
        return editIpv4(cut, ip -> ip.setTotalLength(Ipv4Descriptor.MIN_HEADER_LENGTH + l4Length));
    }

    private static TcpSegment tcpView(MemorySegment frame) {
        return new TcpSegment().wrap(frame, L4, (int) frame.byteSize() - L4);
    }

    /**
     * A TCP frame whose option area is exactly {@code optionsHex} (a multiple of 4 bytes, at most
     * 40), inserted after the fixed header of a valid segment, with lengths and checksums fixed.
     */
    private static MemorySegment tcpWithRawOptions(String optionsHex) {
        MemorySegment options = Hex.segment(optionsHex);
        int optionsLength = (int) options.byteSize();
        if (optionsLength % 4 != 0 || optionsLength > TcpDescriptor.MAX_OPTIONS_LENGTH) {
            throw new IllegalArgumentException("option area must be a multiple of 4 up to 40: " + optionsHex);
        }
        MemorySegment plain = tcpFrame();
        int optionsAt = L4 + TcpDescriptor.MIN_HEADER_LENGTH;
        MemorySegment frame = MemorySegment.ofArray(new byte[(int) plain.byteSize() + optionsLength]);
        MemorySegment.copy(plain, 0, frame, 0, optionsAt);
        MemorySegment.copy(options, 0, frame, optionsAt, optionsLength);
        MemorySegment.copy(plain, optionsAt, frame, optionsAt + optionsLength, plain.byteSize() - optionsAt);
        editIpv4(frame, ip -> ip.setTotalLength(ip.totalLength() + optionsLength));
        TcpSegment tcp = tcpView(frame);
        tcp.setHeaderLength(TcpDescriptor.MIN_HEADER_LENGTH + optionsLength);
        tcp.fillChecksum(SRC.value(), DST.value());
        return frame;
    }

    private void add(String name, MemorySegment frame, WireCheck expected) {
        cases.add(new Case(name, frame, expected));
    }

    private void craftEveryReason() {
        add("valid ARP", arpFrame(), WireCheck.OK);
        add("valid ICMP", icmpFrame(), WireCheck.OK);
        add("valid UDP", udpFrame(), WireCheck.OK);
        add("valid TCP", tcpFrame(), WireCheck.OK);

        add("13-byte frame", truncate(arpFrame(), 13), WireCheck.ETHERNET_TRUNCATED);
        add("empty frame", MemorySegment.ofArray(new byte[0]), WireCheck.ETHERNET_TRUNCATED);
        MemorySegment ipv6 = arpFrame();
        new EthernetFrame().wrap(ipv6, 0, (int) ipv6.byteSize()).setEtherType(EtherType.IPV6);
        add("IPv6 EtherType", ipv6, WireCheck.ETHERNET_UNSUPPORTED_TYPE);
        MemorySegment ieee8023 = arpFrame();
        new EthernetFrame().wrap(ieee8023, 0, (int) ieee8023.byteSize()).setEtherType(28);
        add("802.3 length field", ieee8023, WireCheck.ETHERNET_UNSUPPORTED_TYPE);

        add("ARP cut to 27 bytes", truncate(arpFrame(), IP + 27), WireCheck.ARP_TRUNCATED);
        add("ARP cut to 7 bytes", truncate(arpFrame(), IP + 7), WireCheck.ARP_TRUNCATED);
        MemorySegment longAddresses = arpFrame();
        new ArpPacket().wrap(longAddresses, IP, 28).setHardwareLength(200);
        add("ARP announcing 200-byte hardware addresses", longAddresses, WireCheck.ARP_TRUNCATED);
        MemorySegment ieee802 = arpFrame();
        new ArpPacket().wrap(ieee802, IP, 28).setHardwareType(6);
        add("ARP hardware type 6", ieee802, WireCheck.ARP_UNSUPPORTED_FORMAT);
        MemorySegment ipv6Arp = arpFrame();
        new ArpPacket().wrap(ipv6Arp, IP, 28).setProtocolType(EtherType.IPV6);
        add("ARP for IPv6", ipv6Arp, WireCheck.ARP_UNSUPPORTED_FORMAT);
        MemorySegment shortProtocol = arpFrame();
        new ArpPacket().wrap(shortProtocol, IP, 28).setProtocolLength(2);
        add("ARP protocol length 2", shortProtocol, WireCheck.ARP_UNSUPPORTED_FORMAT);
        MemorySegment rarp = arpFrame();
        new ArpPacket().wrap(rarp, IP, 28).setOperation(3);
        add("RARP request operation", rarp, WireCheck.ARP_UNSUPPORTED_OPERATION);

        add("IPv4 cut to 19 bytes", truncate(udpFrame(), IP + 19), WireCheck.IPV4_TRUNCATED);
        add("IPv4 version 6", editIpv4(udpFrame(), ip -> ip.setVersion(6)), WireCheck.IPV4_BAD_VERSION);
        add("IPv4 IHL 4", editIpv4(udpFrame(), ip -> ip.setHeaderLength(16)), WireCheck.IPV4_BAD_HEADER_LENGTH);
        MemorySegment ihlBeyond = truncate(udpFrame(), IP + 40);
        new Ipv4Packet().wrap(ihlBeyond, IP, 40).setHeaderLength(60);
        add("IPv4 IHL 15 in 40 bytes", ihlBeyond, WireCheck.IPV4_BAD_HEADER_LENGTH);
        add("IPv4 total length below header", editIpv4(udpFrame(), ip -> ip.setTotalLength(19)),
                WireCheck.IPV4_BAD_TOTAL_LENGTH);
        MemorySegment longer = udpFrame();
        add("IPv4 total length beyond frame",
                editIpv4(longer, ip -> ip.setTotalLength((int) longer.byteSize() - IP + 1)),
                WireCheck.IPV4_BAD_TOTAL_LENGTH);
        MemorySegment badIpChecksum = udpFrame();
        Bytes.putU8(badIpChecksum, IP + Ipv4Descriptor.TTL_OFFSET, 63);
        add("IPv4 TTL changed, checksum not", badIpChecksum, WireCheck.IPV4_BAD_CHECKSUM);

        add("ICMP of 7 bytes", shortenTransport(icmpFrame(), 7), WireCheck.ICMP_TRUNCATED);
        MemorySegment badIcmp = icmpFrame();
        Bytes.putU8(badIcmp, badIcmp.byteSize() - 1, Bytes.u8(badIcmp, badIcmp.byteSize() - 1) ^ 0x10);
        add("ICMP data bit flipped", badIcmp, WireCheck.ICMP_BAD_CHECKSUM);

        add("UDP of 7 bytes", shortenTransport(udpFrame(), 7), WireCheck.UDP_TRUNCATED);
        MemorySegment udpShortLength = udpFrame();
        new UdpDatagram().wrap(udpShortLength, L4, 20).setDatagramLength(7);
        add("UDP length 7", udpShortLength, WireCheck.UDP_BAD_LENGTH);
        MemorySegment udpLongLength = udpFrame();
        new UdpDatagram().wrap(udpLongLength, L4, 20).setDatagramLength(21);
        add("UDP length beyond the datagram", udpLongLength, WireCheck.UDP_BAD_LENGTH);
        MemorySegment badUdp = udpFrame();
        Bytes.putU8(badUdp, badUdp.byteSize() - 2, Bytes.u8(badUdp, badUdp.byteSize() - 2) ^ 0x01);
        add("UDP data bit flipped", badUdp, WireCheck.UDP_BAD_CHECKSUM);
        MemorySegment noUdpChecksum = truncate(badUdp, badUdp.byteSize());
        new UdpDatagram().wrap(noUdpChecksum, L4, 20).setChecksum(0);
        add("UDP without checksum (RFC 768: zero)", noUdpChecksum, WireCheck.OK);

        add("TCP of 19 bytes", shortenTransport(tcpFrame(), 19), WireCheck.TCP_TRUNCATED);
        MemorySegment offset4 = tcpFrame();
        tcpView(offset4).setHeaderLength(16);
        tcpView(offset4).fillChecksum(SRC.value(), DST.value());
        add("TCP data offset 4", offset4, WireCheck.TCP_BAD_HEADER_LENGTH);
        MemorySegment offset15 = tcpFrame();
        tcpView(offset15).setHeaderLength(60);
        tcpView(offset15).fillChecksum(SRC.value(), DST.value());
        add("TCP data offset 15 in 30 bytes", offset15, WireCheck.TCP_BAD_HEADER_LENGTH);
        add("TCP option length 0", tcpWithRawOptions("fe00 0000"), WireCheck.TCP_BAD_OPTION);
        add("TCP option length 1", tcpWithRawOptions("0101 fe01"), WireCheck.TCP_BAD_OPTION);
        add("TCP option overruns header", tcpWithRawOptions("0101 fe0b 0000 0000"), WireCheck.TCP_BAD_OPTION);
        add("TCP MSS of length 3", tcpWithRawOptions("0203 0501"), WireCheck.TCP_BAD_OPTION);
        add("TCP SACK of length 9", tcpWithRawOptions("0509 0000 0001 0000 0002 0000"), WireCheck.TCP_BAD_OPTION);
        add("TCP SACK of length 2", tcpWithRawOptions("0502 0101"), WireCheck.TCP_BAD_OPTION);
        add("TCP timestamps of length 8", tcpWithRawOptions("0808 0000 0001 0000"), WireCheck.TCP_BAD_OPTION);
        add("TCP window scale of length 4", tcpWithRawOptions("0304 0700"), WireCheck.TCP_BAD_OPTION);
        add("TCP SACK-permitted of length 3", tcpWithRawOptions("0403 0000"), WireCheck.TCP_BAD_OPTION);
        add("TCP option kind as the last byte", tcpWithRawOptions("0101 01fe"), WireCheck.TCP_BAD_OPTION);
        add("TCP garbage after EOL is ignored", tcpWithRawOptions("0000 fe00"), WireCheck.OK);
        MemorySegment badTcp = tcpFrame();
        Bytes.putU8(badTcp, badTcp.byteSize() - 1, Bytes.u8(badTcp, badTcp.byteSize() - 1) ^ 0x80);
        add("TCP data bit flipped", badTcp, WireCheck.TCP_BAD_CHECKSUM);
    }

    @Test
    void everyReasonIsProducedByACraftedInputAndCounted() {
        craftEveryReason();
        WireCounters counters = new WireCounters();
        FrameParser parser = new FrameParser(counters);
        EnumSet<WireCheck> produced = EnumSet.noneOf(WireCheck.class);
        long expectedAccepted = 0;
        for (Case c : cases) {
            FrameSummary summary = parser.parse(c.frame(), false);
            WireCheck actual = summary instanceof FrameSummary.Dropped d ? d.reason() : WireCheck.OK;
            assertEquals(c.expected(), actual, c.name());
            produced.add(actual);
            expectedAccepted += actual.ok() ? 1 : 0;
        }
        assertEquals(EnumSet.allOf(WireCheck.class), produced, "reasons without a crafted input");
        assertEquals(expectedAccepted, counters.framesAccepted());
        assertEquals(cases.size(), counters.framesSeen());
        assertEquals(3, counters.drops(WireCheck.ARP_UNSUPPORTED_FORMAT));
        assertEquals(10, counters.drops(WireCheck.TCP_BAD_OPTION));
    }

    @Test
    void checksNeverThrowOnImpossibleBounds() {
        MemorySegment small = MemorySegment.ofArray(new byte[10]);
        assertEquals(WireCheck.ETHERNET_TRUNCATED, EthernetFrame.check(null, 0, 20));
        assertEquals(WireCheck.ARP_TRUNCATED, ArpPacket.check(small, 5, 28));
        assertEquals(WireCheck.IPV4_TRUNCATED, Ipv4Packet.check(small, -1, 5));
        assertEquals(WireCheck.ICMP_TRUNCATED, IcmpPacket.check(small, 0, -3));
        assertEquals(WireCheck.UDP_TRUNCATED, UdpDatagram.check(small, Long.MAX_VALUE, 8, 0, 0));
        assertEquals(WireCheck.TCP_TRUNCATED, TcpSegment.check(small, 2, 20, 0, 0));
    }

    @Test
    void wrapCheckedLeavesTheViewUnboundOnFailure() {
        Ipv4Packet view = new Ipv4Packet();
        MemorySegment frame = udpFrame();
        assertEquals(WireCheck.IPV4_TRUNCATED, view.wrapChecked(frame, IP, 10));
        assertEquals(0, view.length());
        assertEquals(WireCheck.OK, view.wrapChecked(frame, IP, (int) frame.byteSize() - IP));
        assertEquals(IpProtocol.UDP, view.protocol());
    }

    @Test
    void fragmentsAndOtherProtocolsAreAcceptedUnparsed() {
        MemorySegment fragment = editIpv4(tcpFrame(), ip -> ip.setMoreFragments(true));
        FrameSummary.Ipv4Unparsed unparsed = assertInstanceOf(FrameSummary.Ipv4Unparsed.class,
                new FrameParser(new WireCounters()).parse(fragment, false));
        assertTrue(unparsed.ipv4().isFragment());
        assertEquals(L4, unparsed.payloadOffset());
        // A fragment's transport checksum cannot be checked, so corrupting it changes nothing.
        Bytes.putU8(fragment, fragment.byteSize() - 1, 0x55);
        assertInstanceOf(FrameSummary.Ipv4Unparsed.class, new FrameParser(new WireCounters()).parse(fragment, false));
        MemorySegment sctp = editIpv4(udpFrame(), ip -> ip.setProtocol(132));
        assertInstanceOf(FrameSummary.Ipv4Unparsed.class, new FrameParser(new WireCounters()).parse(sctp, false));
    }

    @Test
    void tcpOptionsInAnyOrderWithUnknownOnesParse() {
        // NOP; unknown kind 30 (length 4); SACK, one block 10..20; unknown kind 254 (length 2);
        // window scale 14; MSS 536 twice (the last wins); EOL; junk after EOL, never read.
        MemorySegment frame = tcpWithRawOptions(
                "01 1e04abcd 050a0000000a00000014 fe02 03030e 02040100 02040218 00 ffffff");
        FrameSummary.Tcp tcp = assertInstanceOf(FrameSummary.Tcp.class, new FrameParser(new WireCounters()).parse(frame, false));
        assertEquals(new TcpOptions(536, 14, false, List.of(new SackBlock(10, 20)), null), tcp.tcp().options());
        assertEquals(10, tcp.payloadLength());
        assertEquals(L4 + 20 + 32, tcp.payloadOffset());
    }

    @Test
    void misuseIsIllegalArgumentNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UdpRepr(70000, 1, 0));
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Repr(0, 0, 0, false, false, 5, 64, 6, SRC, DST,
                null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Repr(0, 0, 0, false, false, 0, 64, 6, SRC, DST,
                new byte[3], 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpOptions(1460, 7, true,
                List.of(new SackBlock(1, 2), new SackBlock(3, 4), new SackBlock(5, 6), new SackBlock(7, 8)),
                new TcpTimestamps(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.Other(8, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> FrameSummary.Dropped.of(WireCheck.OK));
        assertThrows(IllegalArgumentException.class, () -> new EthernetFrame().wrap(MemorySegment.ofArray(new byte[4]),
                0, 14));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Packet().wrap(MemorySegment.ofArray(new byte[20]),
                0, 20).setFragmentOffsetBytes(12));
    }
}
