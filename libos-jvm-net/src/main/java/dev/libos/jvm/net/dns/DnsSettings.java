package dev.libos.jvm.net.dns;

/**
 * How the resolver asks DNS servers: each server gets {@code attempts} queries, each waiting up
 * to {@code timeoutMillis}, before the next server is asked.
 *
 * @param timeoutMillis wait per query, 1 ms to 60 s ({@code libos.dns.timeoutMillis}, default 2000)
 * @param attempts      queries per server, 1 to 10 ({@code libos.dns.attempts}, default 2)
 */
public record DnsSettings(int timeoutMillis, int attempts) {
    public static final String TIMEOUT_PROPERTY = "libos.dns.timeoutMillis";
    public static final String ATTEMPTS_PROPERTY = "libos.dns.attempts";
    public static final DnsSettings DEFAULTS = new DnsSettings(2000, 2);

    public DnsSettings {
        if (timeoutMillis < 1 || timeoutMillis > 60_000) {
            throw new IllegalArgumentException(TIMEOUT_PROPERTY + " must be 1-60000: " + timeoutMillis);
        }
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException(ATTEMPTS_PROPERTY + " must be 1-10: " + attempts);
        }
    }

    /** From the system properties, defaults where unset; a bad value names the property. */
    public static DnsSettings fromSystemProperties() {
        return new DnsSettings(intProperty(TIMEOUT_PROPERTY, DEFAULTS.timeoutMillis),
                intProperty(ATTEMPTS_PROPERTY, DEFAULTS.attempts));
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: '" + value + "'", e);
        }
    }
}
