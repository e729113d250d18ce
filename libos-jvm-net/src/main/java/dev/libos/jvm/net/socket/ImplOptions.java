package dev.libos.jvm.net.socket;

import dev.libos.api.net.SocketEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.util.Set;

/**
 * The option handling the three impls share ({@link LibosSocketImpl}, {@link LibosServerSocketImpl},
 * {@link LibosDatagramSocketImpl}; they extend different JDK classes, so they delegate here): holds
 * SO_TIMEOUT, answers SO_BINDADDR, and passes every other option to the libos socket through
 * {@link LegacyOptions}, naming the java.net API in its messages.
 */
final class ImplOptions {
    /** The impl's libos socket; throws while the impl is not created. */
    @FunctionalInterface
    interface Endpoint {
        SocketEndpoint get() throws SocketException;
    }

    private final String api;
    private final Endpoint endpoint;
    private volatile int timeoutMillis;

    /** {@code api} is the java.net class in messages: "Socket", "ServerSocket", "DatagramSocket". */
    ImplOptions(String api, Endpoint endpoint) {
        this.api = api;
        this.endpoint = endpoint;
    }

    /** SO_TIMEOUT in milliseconds (0 waits forever). */
    int timeoutMillis() {
        return timeoutMillis;
    }

    void set(int optID, Object value) throws SocketException {
        switch (optID) {
            case SocketOptions.SO_TIMEOUT -> timeoutMillis = Timeouts.millis(value);
            case SocketOptions.SO_BINDADDR -> throw new SocketException("SO_BINDADDR is read-only");
            default -> LegacyOptions.set(endpoint.get(), optID, value);
        }
    }

    Object get(int optID) throws SocketException {
        return switch (optID) {
            case SocketOptions.SO_TIMEOUT -> timeoutMillis;
            case SocketOptions.SO_BINDADDR -> {
                InetSocketAddress local = endpoint.get().localAddress();
                yield local == null ? InetAddress.getLoopbackAddress() : local.getAddress();
            }
            default -> LegacyOptions.get(endpoint.get(), optID);
        };
    }

    <T> void set(SocketOption<T> name, T value) throws SocketException {
        LegacyOptions.set(endpoint.get(), name, value, name.name() + " (" + api + ".setOption)");
    }

    <T> T get(SocketOption<T> name) throws SocketException {
        return LegacyOptions.get(endpoint.get(), name, name.name() + " (" + api + ".getOption)");
    }

    /** The standard options the socket answers; none while the impl is not created. */
    Set<SocketOption<?>> supported() {
        SocketEndpoint socket;
        try {
            socket = endpoint.get();
        } catch (SocketException notCreated) {
            return Set.of();
        }
        return LegacyOptions.supported(socket);
    }
}
