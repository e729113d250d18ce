package dev.libos.api.net;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import jdk.net.ExtendedSocketOptions;

/**
 * The value checks every implementation of {@link SocketEndpoint#setOption} makes alike, with
 * Linux's ranges (socket(7), tcp(7), ip(7)); a bad value is an {@link IllegalArgumentException}
 * naming the option and the value.
 */
public final class SocketOptionValues {
    /** Largest SO_LINGER, in seconds, as the JDK clamps it. */
    public static final int MAX_LINGER_SECONDS = 65535;
    /** Largest TCP_KEEPIDLE and TCP_KEEPINTERVAL, in seconds (tcp(7): MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL). */
    public static final int MAX_KEEPALIVE_SECONDS = 32767;
    /** Largest TCP_KEEPCOUNT (tcp(7): MAX_TCP_KEEPCNT). */
    public static final int MAX_KEEPALIVE_PROBES = 127;

    private SocketOptionValues() {
    }

    /**
     * Checks {@code value} for {@code option}: present, of the option's type, and in range
     * (sizes not negative, IP_TOS a byte, keep-alive settings in Linux's bounds). SO_LINGER is
     * returned clamped to {@link #MAX_LINGER_SECONDS}, a negative value as -1 (off).
     *
     * @return the value to apply
     * @throws IllegalArgumentException naming the option when the value is unfit
     */
    @SuppressWarnings("unchecked")
    public static <T> T check(SocketOption<T> option, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for " + option.name());
        }
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException(option.name() + " takes a " + option.type().getSimpleName()
                    + ", not " + value.getClass().getSimpleName() + ": " + value);
        }
        if (!(value instanceof Integer i)) {
            return (T) value;
        }
        if (option == StandardSocketOptions.SO_LINGER) {
            return (T) Integer.valueOf(i < 0 ? -1 : Math.min(i, MAX_LINGER_SECONDS));
        }
        if (option == StandardSocketOptions.SO_SNDBUF || option == StandardSocketOptions.SO_RCVBUF) {
            requireRange(option, i, 0, Integer.MAX_VALUE); // 0 as the JDK allows: rounded up to the smallest size
        } else if (option == StandardSocketOptions.IP_TOS) {
            requireRange(option, i, 0, 255);
        } else if (option == ExtendedSocketOptions.TCP_KEEPIDLE || option == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            requireRange(option, i, 1, MAX_KEEPALIVE_SECONDS);
        } else if (option == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            requireRange(option, i, 1, MAX_KEEPALIVE_PROBES);
        } else if (option == StandardSocketOptions.IP_MULTICAST_TTL) {
            requireRange(option, i, 0, 255);
        }
        return (T) value;
    }

    private static void requireRange(SocketOption<?> option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option.name() + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    /** The exception for an option a socket does not have, naming it and the socket kind. */
    public static UnsupportedOperationException unsupported(SocketOption<?> option, String socketKind) {
        return new UnsupportedOperationException("option not supported by a " + socketKind + ": " + option.name());
    }
}
