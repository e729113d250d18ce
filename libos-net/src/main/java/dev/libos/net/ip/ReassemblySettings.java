package dev.libos.net.ip;

/**
 * Limits of IPv4 reassembly, validated once.
 *
 * @param maxDatagramBytes largest reassembled payload, at most 65515 (65535 minus a 20-byte header)
 * @param maxTotalBytes    buffer memory of all datagrams in progress together
 * @param maxDatagrams     datagrams in progress at once
 * @param timeoutNanos     a datagram not complete this long after its first fragment is dropped
 */
public record ReassemblySettings(int maxDatagramBytes, long maxTotalBytes, int maxDatagrams, long timeoutNanos) {
    /** 65515-byte datagrams, 1 MiB in total, 64 at once, 30 s (RFC 791 suggests a timer of 15 s or more). */
    public static final ReassemblySettings DEFAULTS = new ReassemblySettings(65_515, 1 << 20, 64, 30_000_000_000L);

    /** Validates every field, naming the bad one. */
    public ReassemblySettings {
        if (maxDatagramBytes < 8 || maxDatagramBytes > 65_515) {
            throw new IllegalArgumentException("maxDatagramBytes must be in [8, 65515]: " + maxDatagramBytes);
        }
        if (maxTotalBytes < maxDatagramBytes) {
            throw new IllegalArgumentException("maxTotalBytes must be >= maxDatagramBytes: " + maxTotalBytes);
        }
        if (maxDatagrams < 1) {
            throw new IllegalArgumentException("maxDatagrams must be >= 1: " + maxDatagrams);
        }
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0: " + timeoutNanos);
        }
    }
}
