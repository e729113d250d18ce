package dev.libos.api.net;

import java.net.SocketOption;

/**
 * Socket options that Linux has but {@link java.net.StandardSocketOptions} and
 * {@code jdk.net.ExtendedSocketOptions} do not name (java.net reaches them through
 * {@link java.net.Socket} methods instead).
 */
public final class LibosSocketOptions {
    private LibosSocketOptions() {
    }

    /**
     * SO_OOBINLINE ({@link java.net.Socket#setOOBInline}): urgent data is delivered in the normal
     * data stream. Off by default as on Linux.
     */
    public static final SocketOption<Boolean> SO_OOBINLINE = new Option<>("SO_OOBINLINE", Boolean.class);

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }
}
