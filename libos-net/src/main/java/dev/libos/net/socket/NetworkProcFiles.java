package dev.libos.net.socket;

import dev.libos.net.ip.InterfaceStats;
import dev.libos.net.tcp.FourTuple;
import dev.libos.net.tcp.KeepAlive;
import dev.libos.net.tcp.TcpConnection;
import dev.libos.net.wire.Ipv4Address;
import java.util.Locale;

/**
 * The network as /proc text, one snapshot per read, taken under the stack lock: {@link #interfaces()}
 * (per-interface counters, as Linux's /proc/net/dev) and {@link #tcp()} (the connection table, as
 * /proc/net/tcp, with the options in effect). Whoever mounts /proc registers them, for example
 * {@code procFs.register("net-dev", files::interfaces).register("net-tcp", files::tcp)}.
 */
public final class NetworkProcFiles {
    private final StackNetwork network;

    public NetworkProcFiles(StackNetwork network) {
        this.network = network;
    }

    /** One line per interface: address, MAC, frames and bytes each way, refusals and parser drops. */
    public String interfaces() {
        return network.withStack(() -> {
            StringBuilder sb = new StringBuilder(
                    "iface address mac framesIn bytesIn framesOut bytesOut txRefused wireDrops\n");
            for (InterfaceStats s : network.ip().stats().interfaces()) {
                sb.append(s.name()).append(' ').append(s.address()).append('/').append(s.prefixLength()).append(' ')
                        .append(s.mac()).append(' ').append(s.framesIn()).append(' ').append(s.bytesIn()).append(' ')
                        .append(s.framesOut()).append(' ').append(s.bytesOut()).append(' ').append(s.txRefused())
                        .append(' ').append(s.totalWireDrops()).append('\n');
            }
            return sb.toString();
        });
    }

    /**
     * One line per connection in the table: the addresses, state, bytes queued each way, buffer
     * sizes, keep-alive (off, or idle/interval/count seconds and the unanswered probes) and the
     * connection's retransmission count; then the layer's counters.
     */
    public String tcp() {
        return network.withStack(() -> {
            StringBuilder sb = new StringBuilder(
                    "local remote state sendQueued receiveQueued sndbuf rcvbuf nodelay keepalive retransmits\n");
            network.tcp().forEachConnection((key, c) -> line(sb, key, c));
            sb.append("counters ").append(network.tcp().counters()).append('\n');
            return sb.toString();
        });
    }

    private static void line(StringBuilder sb, FourTuple key, TcpConnection c) {
        KeepAlive k = c.keepAlive();
        String keepAlive = k.enabled()
                ? String.format(Locale.ROOT, "%d/%d/%d:%d", k.idleNanos() / 1_000_000_000L,
                        k.intervalNanos() / 1_000_000_000L, k.count(), k.probesSent())
                : "off";
        sb.append(new Ipv4Address(key.localAddress())).append(':').append(key.localPort()).append(' ')
                .append(new Ipv4Address(key.remoteAddress())).append(':').append(key.remotePort()).append(' ')
                .append(c.state()).append(' ').append(c.sendBufferQueued()).append(' ').append(c.availableToRead())
                .append(' ').append(c.sendBufferCapacity()).append(' ').append(c.receiveBufferCapacity()).append(' ')
                .append(c.noDelay()).append(' ').append(keepAlive).append(' ')
                .append(c.counters().get(dev.libos.net.tcp.TcpCounter.RETRANSMITTED_SEGMENTS)).append('\n');
    }
}
