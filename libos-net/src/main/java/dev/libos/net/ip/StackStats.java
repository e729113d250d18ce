package dev.libos.net.ip;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a stack's counters, readable at run time.
 *
 * @param interfaces          per interface
 * @param ip                  IPv4, ARP, reassembly and ICMP events
 * @param reassemblyBytes     buffer bytes held by reassembly
 * @param reassemblyDatagrams datagrams in reassembly
 */
public record StackStats(List<InterfaceStats> interfaces, Map<IpCounter, Long> ip, long reassemblyBytes,
                         int reassemblyDatagrams) {
    /** Copies the collections. */
    public StackStats {
        interfaces = List.copyOf(interfaces);
        ip = Map.copyOf(ip);
    }

    /** The value of one IP-layer counter. */
    public long ip(IpCounter counter) {
        return ip.getOrDefault(counter, 0L);
    }
}
