package dev.libos.net.netty;

import dev.libos.api.net.SocketEndpoint;
import io.netty.channel.ChannelException;
import java.io.IOException;
import java.net.SocketOption;
import dev.libos.api.net.SocketOptionValues;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The socket options a channel's configuration was given, applied to its socket. A channel made
 * by a bootstrap is configured before it registers, that is before it has a socket: the options
 * are remembered and applied when the socket is attached, and applied at once afterwards.
 *
 * <p>An option the socket does not have ({@link UnsupportedOperationException} from the socket)
 * fails loudly: a {@link ChannelException} naming it, when it is set or when the socket is attached.
 */
final class SocketOptionStore {
    private final Map<SocketOption<?>, Object> chosen = new LinkedHashMap<>();
    private SocketEndpoint endpoint;

    /**
     * Sets {@code option}.
     *
     * @throws IllegalArgumentException for a value out of range, naming the option
     * @throws ChannelException when the socket fails to take it or does not have it
     */
    synchronized <T> void set(SocketOption<T> option, T value) {
        T checked = SocketOptionValues.check(option, value);
        if (endpoint != null) {
            apply(endpoint, option, checked);
        }
        chosen.put(option, checked);
    }

    /** The socket's value of {@code option}, else the value set, else {@code defaultValue}. */
    @SuppressWarnings("unchecked")
    synchronized <T> T get(SocketOption<T> option, T defaultValue) {
        if (endpoint != null && endpoint.isOpen()) {
            try {
                return endpoint.getOption(option);
            } catch (UnsupportedOperationException | IOException e) {
                // not a socket option of this stack, or closed meanwhile: fall back to the value set
            }
        }
        return (T) chosen.getOrDefault(option, defaultValue);
    }

    /** Sets a socket-backed channel option; see {@link #set(SocketOption, Object)}. */
    <T> void set(SocketBackedOption<T> option, T value) {
        set(option.socketOption(), value);
    }

    /** The socket's value of {@code option}, else the value set, else the option's default. */
    <T> T get(SocketBackedOption<T> option) {
        return get(option.socketOption(), option.defaultValue());
    }

    /** Applies every option set so far to {@code socket} and those set later, as they are set. */
    synchronized void attach(SocketEndpoint socket) {
        this.endpoint = socket;
        for (Map.Entry<SocketOption<?>, Object> e : chosen.entrySet()) {
            applyUnchecked(socket, e.getKey(), e.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void applyUnchecked(SocketEndpoint socket, SocketOption<T> option, Object value) {
        apply(socket, option, (T) value);
    }

    private static <T> void apply(SocketEndpoint socket, SocketOption<T> option, T value) {
        try {
            socket.setOption(option, value);
        } catch (UnsupportedOperationException e) {
            throw new ChannelException("cannot set " + option.name() + " to " + value + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ChannelException("failed to set " + option.name() + " to " + value, e);
        }
    }
}
