package dev.libos.net.ip;

import dev.libos.net.ip.arp.ArpSettings;

/**
 * The settings of a {@link NetStack}, validated once.
 *
 * @param receiveBudget          frames taken from each device per poll
 * @param arp                    ARP cache limits and timers
 * @param reassembly             reassembly limits and timeout
 * @param icmpErrorIntervalNanos one ICMP error may be sent per interval on average
 * @param icmpErrorBurst         ICMP errors that may be sent back to back
 * @param timeToLive             TTL of the datagrams sent, 1 to 255
 */
public record NetStackSettings(int receiveBudget, ArpSettings arp, ReassemblySettings reassembly,
                               long icmpErrorIntervalNanos, int icmpErrorBurst, int timeToLive) {
    /** 64 frames per device per poll, ARP and reassembly defaults, 100 ICMP errors per second (burst 10), TTL 64. */
    public static final NetStackSettings DEFAULTS = new NetStackSettings(64, ArpSettings.DEFAULTS,
            ReassemblySettings.DEFAULTS, 10_000_000L, 10, 64);

    /** Validates every field, naming the bad one. */
    public NetStackSettings {
        if (receiveBudget < 1) {
            throw new IllegalArgumentException("receiveBudget must be >= 1: " + receiveBudget);
        }
        if (arp == null || reassembly == null) {
            throw new IllegalArgumentException("arp and reassembly settings must not be null");
        }
        if (icmpErrorIntervalNanos <= 0) {
            throw new IllegalArgumentException("icmpErrorIntervalNanos must be > 0: " + icmpErrorIntervalNanos);
        }
        if (icmpErrorBurst < 1) {
            throw new IllegalArgumentException("icmpErrorBurst must be >= 1: " + icmpErrorBurst);
        }
        if (timeToLive < 1 || timeToLive > 255) {
            throw new IllegalArgumentException("timeToLive must be in [1, 255]: " + timeToLive);
        }
    }

    /** These settings with other reassembly limits. */
    public NetStackSettings withReassembly(ReassemblySettings newReassembly) {
        return new NetStackSettings(receiveBudget, arp, newReassembly, icmpErrorIntervalNanos, icmpErrorBurst,
                timeToLive);
    }

    /** These settings with other ARP limits. */
    public NetStackSettings withArp(ArpSettings newArp) {
        return new NetStackSettings(receiveBudget, newArp, reassembly, icmpErrorIntervalNanos, icmpErrorBurst,
                timeToLive);
    }

    /** These settings with another ICMP error rate limit. */
    public NetStackSettings withIcmpErrorRate(long intervalNanos, int burst) {
        return new NetStackSettings(receiveBudget, arp, reassembly, intervalNanos, burst, timeToLive);
    }
}
