package dev.libos.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests: frames written out byte by byte (checksums computed independently with a
 * word-at-a-time RFC 1071 reference), emitted and parsed.
 */
class KnownFramesTest {
    private static final MacAddress GUEST = MacAddress.parse("52:54:00:12:34:56");
    private static final MacAddress GATEWAY = MacAddress.parse("52:55:0a:00:02:02");
    private static final Ipv4Address GUEST_IP = Ipv4Address.parse("10.0.2.15");
    private static final Ipv4Address GATEWAY_IP = Ipv4Address.parse("10.0.2.2");

    private static final String ARP_REQUEST = ""
            + "ffffffffffff 525400123456 0806"            // Ethernet: broadcast, from the guest, ARP
            + "0001 0800 06 04 0001"                      // Ethernet/IPv4, request
            + "525400123456 0a00020f"                     // sender 52:54:00:12:34:56 10.0.2.15
            + "000000000000 0a000202";                    // target ?, 10.0.2.2

    private static final String ICMP_ECHO = ""
            + "52550a000202 525400123456 0800"
            + "4500 003c 1234 4000 4001 107d 0a00020f 0a000202"  // IPv4, 60 bytes, DF, TTL 64, ICMP
            + "0800 4d5a 0001 0001"                              // echo request id 1 seq 1
            + "6162636465666768696a6b6c6d6e6f7071727374757677616263646566676869";

    /** A SYN in this stack's aligned option layout: MSS, NOP WS, NOP NOP SACK-perm, NOP NOP TS. */
    private static final String TCP_SYN = ""
            + "52550a000202 525400123456 0800"
            + "4500 0040 0000 4000 4006 22a8 0a00020f 0a000202"
            + "9c40 0050 01020304 00000000 b0 02 faf0 3dfc 0000"  // 40000 > 80 SYN, 44-byte header
            + "020405b4 01030307 01010402 0101080a 11223344 00000000";

    /** The same SYN in Linux's layout: MSS, SACK-perm, TS, NOP, WS (20 option bytes). */
    private static final String TCP_SYN_LINUX_LAYOUT = ""
            + "52550a000202 525400123456 0800"
            + "4500 003c 0000 4000 4006 22ac 0a00020f 0a000202"
            + "9c40 0050 01020304 00000000 a0 02 faf0 5002 0000"
            + "020405b4 0402 080a 11223344 00000000 01 030307";

    private static final TcpRepr SYN = new TcpRepr(40000, 80, 0x01020304, 0, TcpFlags.SYN, 64240, 0,
            new TcpOptions(1460, 7, true, List.of(), new TcpTimestamps(0x11223344, 0)), 0);

    @Test
    void arpRequestEmitsAndParses() {
        EthernetRepr ethernet = new EthernetRepr(MacAddress.BROADCAST, GUEST, EtherType.ARP);
        ArpRepr arp = new ArpRepr(ArpOperation.REQUEST, GUEST, GUEST_IP, MacAddress.ZERO, GATEWAY_IP);
        FrameBuilder.Built built = FrameBuilder.arp(ethernet, arp, 0);
        assertEquals(Hex.of(Hex.segment(ARP_REQUEST)), Hex.of(built.frame()));
        assertEquals(built.expected(), parse(ARP_REQUEST));
    }

    @Test
    void icmpEchoRequestEmitsAndParses() {
        byte[] data = "abcdefghijklmnopqrstuvwabcdefghi".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        IcmpRepr echo = new IcmpRepr.EchoRequest(1, 1, data.length);
        Ipv4Repr ipv4 = Ipv4Repr.simple(IpProtocol.ICMP, GUEST_IP, GATEWAY_IP, 0x1234, echo.bufferLength());
        EthernetRepr ethernet = new EthernetRepr(GATEWAY, GUEST, EtherType.IPV4);
        FrameBuilder.Built built = FrameBuilder.ipv4(ethernet, ipv4, echo, data, 0);
        assertEquals(Hex.of(Hex.segment(ICMP_ECHO)), Hex.of(built.frame()));
        assertEquals(new FrameSummary.Icmp(ethernet, ipv4, echo, 14 + 20 + 8, 32), parse(ICMP_ECHO));
    }

    @Test
    void tcpSynWithOptionsEmitsAndParses() {
        Ipv4Repr ipv4 = Ipv4Repr.simple(IpProtocol.TCP, GUEST_IP, GATEWAY_IP, 0, SYN.bufferLength());
        FrameBuilder.Built built = FrameBuilder.ipv4(new EthernetRepr(GATEWAY, GUEST, EtherType.IPV4), ipv4, SYN,
                new byte[0], 0);
        assertEquals(Hex.of(Hex.segment(TCP_SYN)), Hex.of(built.frame()));
        assertEquals(built.expected(), parse(TCP_SYN));
        assertEquals(1, SYN.segmentLength());
    }

    @Test
    void tcpSynInLinuxOptionLayoutParsesToTheSameRepr() {
        FrameSummary.Tcp tcp = assertInstanceOf(FrameSummary.Tcp.class, parse(TCP_SYN_LINUX_LAYOUT));
        assertEquals(SYN, tcp.tcp());
        assertEquals(14 + 20 + 40, tcp.payloadOffset());
    }

    @Test
    void viewsReadEveryFieldOfTheSyn() {
        MemorySegment frame = Hex.segment(TCP_SYN);
        Ipv4Packet ip = new Ipv4Packet();
        assertEquals(WireCheck.OK, ip.wrapChecked(frame, 14, (int) frame.byteSize() - 14));
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(64, ip.totalLength());
        assertEquals(64, ip.timeToLive());
        assertEquals(IpProtocol.TCP, ip.protocol());
        assertEquals(0x22a8, ip.headerChecksum());
        assertEquals(true, ip.dontFragment());
        TcpSegment tcp = new TcpSegment();
        assertEquals(WireCheck.OK, tcp.wrapChecked(frame, 34, 44, ip.sourceAddress(), ip.destinationAddress()));
        assertEquals(40000, tcp.sourcePort());
        assertEquals(80, tcp.destinationPort());
        assertEquals(0x01020304, tcp.sequenceNumber());
        assertEquals(44, tcp.headerLength());
        assertEquals(TcpFlags.SYN, tcp.flags());
        assertEquals(64240, tcp.window());
        assertEquals(0x3dfc, tcp.checksum());
        assertEquals(0, tcp.payloadLength());
        assertEquals("SA", TcpFlags.toString(TcpFlags.SYN | TcpFlags.ACK));
    }

    @Test
    void ethernetPaddingAfterTheDatagramIsIgnored() {
        // The 42-byte ARP request padded to the 60-byte minimum frame.
        String padded = ARP_REQUEST + "00".repeat(18);
        assertEquals(parse(ARP_REQUEST), parse(padded));
        String paddedEcho = ICMP_ECHO + "ee".repeat(4);
        FrameSummary.Icmp icmp = assertInstanceOf(FrameSummary.Icmp.class, parse(paddedEcho));
        assertEquals(32, icmp.payloadLength());
    }

    private static FrameSummary parse(String hex) {
        return new FrameParser(new WireCounters()).parse(Hex.segment(hex), false).copy(); // compared as records
    }
}
