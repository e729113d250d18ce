package dev.libos.net.ip.arp;

/**
 * Limits and timers of an ARP cache, validated once.
 *
 * @param entryLifetimeNanos  how long a resolved entry is trusted without being refreshed
 * @param retryIntervalNanos  time between requests for an unresolved address
 * @param maxRequests         requests sent before resolution gives up and its queue is dropped
 * @param maxQueuedPerAddress packets held per unresolved address
 * @param maxEntries          entries, resolved and pending together
 * @param lockNanos           how long after an entry took a MAC address another address for it is
 *                            refused (0: never); Linux's neighbour {@code locktime}, 1 s there too
 */
public record ArpSettings(long entryLifetimeNanos, long retryIntervalNanos, int maxRequests,
                          int maxQueuedPerAddress, int maxEntries, long lockNanos) {
    /**
     * 60 s lifetime, 1 s retry, 3 requests, 64 queued packets per address (a 64 KiB datagram is 45
     * fragments), 512 entries, 1 s lock.
     */
    public static final ArpSettings DEFAULTS = new ArpSettings(60_000_000_000L, 1_000_000_000L, 3, 64, 512, 1_000_000_000L);

    /** Validates every field, naming the bad one. */
    public ArpSettings {
        if (entryLifetimeNanos <= 0) {
            throw new IllegalArgumentException("entryLifetimeNanos must be > 0: " + entryLifetimeNanos);
        }
        if (retryIntervalNanos <= 0) {
            throw new IllegalArgumentException("retryIntervalNanos must be > 0: " + retryIntervalNanos);
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be >= 1: " + maxRequests);
        }
        if (maxQueuedPerAddress < 0) {
            throw new IllegalArgumentException("maxQueuedPerAddress must be >= 0: " + maxQueuedPerAddress);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1: " + maxEntries);
        }
        if (lockNanos < 0) {
            throw new IllegalArgumentException("lockNanos must be >= 0: " + lockNanos);
        }
    }
}
