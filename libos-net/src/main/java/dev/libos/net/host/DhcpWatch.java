package dev.libos.net.host;

import dev.libos.api.device.Poller;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.dhcp.DhcpClient;
import java.util.function.Consumer;

/**
 * Polls a {@link DhcpClient} on the stack's thread and tells the host's log what it did: each
 * DISCOVER that went unanswered (with the backoff before the next, RFC 2131 section 4.1) and
 * each lease. One line per event, so a silent network is visible without flooding the console
 * (the backoff reaches 64 s).
 */
final class DhcpWatch implements Poller {
    private final DhcpClient client;
    private final NetInterface iface;
    private final Consumer<String> log;
    private long sentSeen;
    private long leasesSeen;
    private volatile boolean bound;

    DhcpWatch(DhcpClient client, NetInterface iface, Consumer<String> log) {
        this.client = client;
        this.iface = iface;
        this.log = log;
    }

    DhcpClient client() {
        return client;
    }

    NetInterface iface() {
        return iface;
    }

    /** Whether the interface holds a lease now (any thread). */
    boolean bound() {
        return bound;
    }

    @Override
    public int poll(long nowNanos) {
        int work = client.poll(nowNanos);
        long sent = client.messagesSent();
        if (sent > sentSeen) {
            if (sentSeen > 0 && client.state() == DhcpClient.State.SELECTING) {
                log.accept("dhcp: no answer on " + iface.name() + " (" + sent + " DISCOVERs sent), next in "
                        + client.retransmitIntervalNanos() / 1_000_000_000L + " s");
            }
            sentSeen = sent;
        }
        long leases = client.leasesAcquired();
        if (leases > leasesSeen) {
            leasesSeen = leases;
            log.accept("dhcp: " + iface.name() + " leased " + iface.address() + "/" + iface.prefixLength()
                    + (client.dnsServers().isEmpty() ? "" : ", dns " + client.dnsServers()));
        }
        bound = client.address() != null;
        return work;
    }
}
