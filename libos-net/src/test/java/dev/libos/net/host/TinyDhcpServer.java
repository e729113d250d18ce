package dev.libos.net.host;

import dev.libos.api.device.Poller;
import dev.libos.net.ip.dhcp.DhcpMessage;
import dev.libos.net.ip.udp.UdpMessage;
import dev.libos.net.ip.udp.UdpSocket;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.wire.Ipv4Address;
import java.util.List;

/**
 * A DHCP server of one lease, like QEMU's user network: it offers {@code leased}/24 with
 * {@code router} as router and server and {@code dns} as name server; polled on the server
 * host's stack thread.
 */
final class TinyDhcpServer implements Poller {
    private final UdpSocket socket;
    private final Ipv4Address leased;
    private final Ipv4Address router;
    private final Ipv4Address dns;

    private TinyDhcpServer(UdpSocket socket, Ipv4Address leased, Ipv4Address router, Ipv4Address dns) {
        this.socket = socket;
        this.leased = leased;
        this.router = router;
        this.dns = dns;
    }

    static void start(StackNetwork host, Ipv4Address leased, Ipv4Address router, Ipv4Address dns) {
        UdpSocket socket = host.withStack(() -> host.udp().bind(Ipv4Address.UNSPECIFIED, DhcpMessage.SERVER_PORT, 16));
        host.addStackPoller(new TinyDhcpServer(socket, leased, router, dns));
    }

    @Override
    public int poll(long nowNanos) {
        int work = 0;
        UdpMessage m;
        while ((m = socket.receive()) != null) {
            work++;
            DhcpMessage request = DhcpMessage.parse(m.data());
            if (request == null || request.op() != 1) {
                continue;
            }
            int type = request.type() == DhcpMessage.DISCOVER ? DhcpMessage.OFFER : DhcpMessage.ACK;
            DhcpMessage reply = new DhcpMessage(2, request.xid(), request.broadcast(), Ipv4Address.UNSPECIFIED, leased,
                    request.clientMac(), type, null, router, 86400, -1, -1, 24, router, List.of(dns));
            socket.send(Ipv4Address.BROADCAST, DhcpMessage.CLIENT_PORT, reply.encode());
        }
        return work;
    }
}
