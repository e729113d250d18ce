package dev.libos.net.ip.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.time.ManualClock;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.ip.udp.UdpLayer;
import dev.libos.net.ip.udp.UdpMessage;
import dev.libos.net.ip.udp.UdpSocket;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client against a tiny DHCP server written here, over a MemoryLink, with explicit times. */
class DhcpClientTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.5.0.1");
    private static final Ipv4Address LEASED = Ipv4Address.parse("10.5.0.100");

    /** Offers 10.5.0.100 to anyone; 60 s leases, T1 30 s, T2 50 s; can be told to stay silent. */
    private static final class TinyDhcpServer {
        final UdpSocket socket;
        boolean silent;
        final List<Integer> seen = new ArrayList<>();

        TinyDhcpServer(UdpLayer udp) {
            socket = udp.bind(Ipv4Address.UNSPECIFIED, DhcpMessage.SERVER_PORT, 16); // broadcasts reach only unbound addresses
        }

        void poll() {
            UdpMessage m;
            while ((m = socket.receive()) != null) {
                DhcpMessage request = DhcpMessage.parse(m.data());
                if (request == null || request.op() != 1) {
                    continue;
                }
                seen.add(request.type());
                if (silent) {
                    continue;
                }
                int type = request.type() == DhcpMessage.DISCOVER ? DhcpMessage.OFFER : DhcpMessage.ACK;
                if (request.type() == DhcpMessage.REQUEST && request.requestedAddress() != null
                        && !request.requestedAddress().equals(LEASED)) {
                    type = DhcpMessage.NAK;
                }
                DhcpMessage reply = new DhcpMessage(2, request.xid(), request.broadcast(), Ipv4Address.UNSPECIFIED,
                        LEASED, request.clientMac(), type, null, SERVER, 60, 30, 50, 24, SERVER);
                // RFC 2131 4.1: broadcast when the client asked for it or has no address yet, else unicast to ciaddr.
                Ipv4Address to = request.broadcast() || request.clientAddress().value() == 0
                        ? Ipv4Address.BROADCAST : request.clientAddress();
                socket.send(to, DhcpMessage.CLIENT_PORT, reply.encode());
            }
        }
    }

    private final ManualClock clock = new ManualClock(0);
    private final MemoryLink link = new MemoryLink("dhcp", 4, clock, LinkFaults.NONE.withDelay(100_000, 0), 1);
    private final NetStack serverStack = new NetStack(NetStackSettings.DEFAULTS);
    private final NetStack clientStack = new NetStack(NetStackSettings.DEFAULTS);
    private final NetInterface clientIface = clientStack.addInterface(link.b());
    private final UdpLayer clientUdp = new UdpLayer(clientStack, clientStack.icmp());
    private final TinyDhcpServer server;
    private final DhcpClient client;

    DhcpClientTest() {
        serverStack.configure(serverStack.addInterface(link.a()), SERVER, 24);
        UdpLayer serverUdp = new UdpLayer(serverStack, serverStack.icmp());
        serverStack.register(IpProtocol.UDP, serverUdp);
        clientStack.register(IpProtocol.UDP, clientUdp);
        server = new TinyDhcpServer(serverUdp);
        client = new DhcpClient(clientStack, clientIface, clientUdp, 0x1234);
    }

    /** Runs everything until {@code untilNanos}, in steps of 1 ms. */
    private void runUntil(long untilNanos) {
        while (clock.nanoTime() < untilNanos) {
            long now = clock.nanoTime();
            serverStack.poll(now);
            server.poll();
            clientStack.poll(now);
            client.poll(now);
            clock.advance(Math.min(1_000_000, untilNanos - now));
        }
    }

    @Test
    void acquiresALeaseAndConfiguresTheInterface() {
        assertNull(client.address());
        runUntil(100_000_000);
        assertEquals(DhcpClient.State.BOUND, client.state());
        assertEquals(LEASED, client.address());
        assertEquals(24, clientIface.prefixLength());
        assertEquals(List.of(DhcpMessage.DISCOVER, DhcpMessage.REQUEST), server.seen);
        assertEquals(SERVER, clientStack.routes().lookup(Ipv4Address.parse("8.8.8.8")).gateway());
        // The address works: the server pings the client.
        int[] replies = new int[1];
        serverStack.icmp().setEchoListener((from, id, seq, data, now) -> replies[0]++);
        serverStack.icmp().sendEchoRequest(LEASED, 1, 1, new byte[8]);
        runUntil(clock.nanoTime() + 10_000_000);
        assertEquals(1, replies[0]);
    }

    @Test
    void renewsAtT1WithAUnicastRequest() {
        runUntil(100_000_000);
        long firstEnd = client.leaseEndNanos();
        runUntil(30 * SECOND + 50_000_000);
        assertEquals(DhcpClient.State.BOUND, client.state());
        assertEquals(2, client.leasesAcquired());
        assertTrue(client.leaseEndNanos() > firstEnd + 29 * SECOND);
        assertEquals(3, server.seen.size());
    }

    @Test
    void rebindsAtT2AndGivesTheAddressUpWhenTheLeaseEnds() {
        runUntil(100_000_000);
        server.silent = true;
        runUntil(30 * SECOND + 50_000_000);
        assertEquals(DhcpClient.State.RENEWING, client.state());
        runUntil(50 * SECOND + 50_000_000);
        assertEquals(DhcpClient.State.REBINDING, client.state());
        assertEquals(LEASED, clientIface.address(), "still usable until the lease ends");
        runUntil(60 * SECOND + 50_000_000);
        assertEquals(DhcpClient.State.SELECTING, client.state());
        assertTrue(!clientIface.configured());
        assertEquals(DhcpMessage.DISCOVER, (int) server.seen.get(server.seen.size() - 1));
        server.silent = false;
        runUntil(clock.nanoTime() + 70 * SECOND);
        assertEquals(DhcpClient.State.BOUND, client.state());
    }

    @Test
    void discoverIsRetransmittedWithBackoff() {
        server.silent = true;
        runUntil(4 * SECOND - 1);
        assertEquals(1, client.messagesSent());
        runUntil(4 * SECOND + 1_000_000);
        assertEquals(2, client.messagesSent());
        runUntil(12 * SECOND - 1_000_000);
        assertEquals(2, client.messagesSent());
        runUntil(12 * SECOND + 2_000_000);
        assertEquals(3, client.messagesSent(), "then 8 s later");
    }

    @Test
    void messagesRoundTrip() {
        DhcpMessage m = new DhcpMessage(2, 77, true, Ipv4Address.UNSPECIFIED, LEASED,
                dev.libos.net.wire.MacAddress.parse("02:00:00:00:00:09"), DhcpMessage.ACK, null, SERVER, 60, 30, 50, 24,
                SERVER);
        assertEquals(m, DhcpMessage.parse(m.encode()));
        byte[] truncated = java.util.Arrays.copyOf(m.encode(), 100);
        assertNull(DhcpMessage.parse(truncated));
    }
}
