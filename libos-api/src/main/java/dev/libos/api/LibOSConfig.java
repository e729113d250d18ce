package dev.libos.api;

import dev.libos.api.time.MonotonicClock;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings a kernel boots with: {@code libos.*} keys with string values (from system
 * properties, later from the kernel command line), plus the objects that cannot be strings (the
 * clock). Immutable. The kernel validates every setting once, at boot, and a bad one fails the
 * boot with an error that names the setting and its value; the settings are listed in the
 * project's README.
 */
public final class LibOSConfig {
    /** Prefix of every libos setting. */
    public static final String PREFIX = "libos.";

    private final Map<String, String> settings;
    private final MonotonicClock clock;

    private LibOSConfig(Map<String, String> settings, MonotonicClock clock) {
        this.settings = Map.copyOf(settings);
        this.clock = clock;
    }

    /** Every {@code libos.*} system property. */
    public static LibOSConfig fromSystemProperties() {
        return builder().putAll(System.getProperties()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The raw settings, sorted by key. */
    public Map<String, String> settings() {
        return new TreeMap<>(settings);
    }

    /** The value of {@code key}, or null when it is not set. */
    public String get(String key) {
        return settings.get(key);
    }

    /** The injected clock, or null for the host's monotonic clock. */
    public MonotonicClock clock() {
        return clock;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.settings.putAll(settings);
        builder.clock = clock;
        return builder;
    }

    @Override
    public String toString() {
        return "LibOSConfig" + settings() + (clock == null ? "" : " clock=" + clock);
    }

    /** Builds a {@link LibOSConfig}. */
    public static final class Builder {
        private final Map<String, String> settings = new TreeMap<>();
        private MonotonicClock clock;

        private Builder() {
        }

        /**
         * Sets {@code key} (which must start with {@code libos.}) to {@code value}. Values are
         * checked at boot, not here.
         */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (!key.startsWith(PREFIX)) {
                throw new IllegalArgumentException("libos settings start with '" + PREFIX + "': " + key);
            }
            settings.put(key, value);
            return this;
        }

        /** Copies every {@code libos.*} entry of {@code properties}; others are ignored. */
        public Builder putAll(Properties properties) {
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith(PREFIX)) {
                    settings.put(key, properties.getProperty(key));
                }
            }
            return this;
        }

        /** Number of virtual CPUs ({@code libos.cpus}). */
        public Builder cpus(int cpus) {
            return set("libos.cpus", Integer.toString(cpus));
        }

        /** The clock every kernel component reads; the host's monotonic clock by default. */
        public Builder clock(MonotonicClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public LibOSConfig build() {
            return new LibOSConfig(settings, clock);
        }
    }
}
