package dev.libos.jvm.net.socket;

import dev.libos.api.net.SocketEndpoint;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link SocketOptions} integer options that {@code java.net}'s socket classes pass to their
 * impls ({@code Socket.setKeepAlive} is {@code setOption(SO_KEEPALIVE, true)}), mapped to the
 * {@link StandardSocketOptions} the libos socket API takes, and passed through: what the socket
 * does not have becomes a {@link SocketException} naming the option and the java.net call.
 * {@code SO_TIMEOUT} and {@code SO_BINDADDR} are the impls' own and never reach here.
 */
final class LegacyOptions {
    /** Options a libos socket may support, probed by {@link #supported}. */
    private static final List<SocketOption<?>> STANDARD = List.of(StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_LINGER, StandardSocketOptions.IP_TOS,
            StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.SO_REUSEPORT);

    private LegacyOptions() {
    }

    /** The java.net call behind an option id, for messages. */
    static String apiOf(int id) {
        return switch (id) {
            case SocketOptions.TCP_NODELAY -> "TCP_NODELAY (Socket.setTcpNoDelay)";
            case SocketOptions.SO_REUSEADDR -> "SO_REUSEADDR (setReuseAddress)";
            case SocketOptions.SO_KEEPALIVE -> "SO_KEEPALIVE (Socket.setKeepAlive)";
            case SocketOptions.SO_SNDBUF -> "SO_SNDBUF (setSendBufferSize)";
            case SocketOptions.SO_RCVBUF -> "SO_RCVBUF (setReceiveBufferSize)";
            case SocketOptions.SO_LINGER -> "SO_LINGER (Socket.setSoLinger)";
            case SocketOptions.IP_TOS -> "IP_TOS (setTrafficClass)";
            case SocketOptions.SO_OOBINLINE -> "SO_OOBINLINE (Socket.setOOBInline)";
            case SocketOptions.SO_BROADCAST -> "SO_BROADCAST (DatagramSocket.setBroadcast)";
            case SocketOptions.IP_MULTICAST_IF, SocketOptions.IP_MULTICAST_IF2 -> "IP_MULTICAST_IF (MulticastSocket.setInterface)";
            case SocketOptions.IP_MULTICAST_LOOP -> "IP_MULTICAST_LOOP (MulticastSocket.setLoopbackMode)";
            default -> "socket option " + id;
        };
    }

    private static SocketOption<?> standardOf(int id) {
        return switch (id) {
            case SocketOptions.TCP_NODELAY -> StandardSocketOptions.TCP_NODELAY;
            case SocketOptions.SO_REUSEADDR -> StandardSocketOptions.SO_REUSEADDR;
            case SocketOptions.SO_KEEPALIVE -> StandardSocketOptions.SO_KEEPALIVE;
            case SocketOptions.SO_SNDBUF -> StandardSocketOptions.SO_SNDBUF;
            case SocketOptions.SO_RCVBUF -> StandardSocketOptions.SO_RCVBUF;
            case SocketOptions.SO_LINGER -> StandardSocketOptions.SO_LINGER;
            case SocketOptions.IP_TOS -> StandardSocketOptions.IP_TOS;
            case SocketOptions.SO_BROADCAST -> StandardSocketOptions.SO_BROADCAST;
            default -> null; // SO_OOBINLINE and the multicast options have no libos equivalent yet
        };
    }

    /** {@code impl.setOption(id, value)} on {@code socket}. */
    @SuppressWarnings("unchecked")
    static void set(SocketEndpoint socket, int id, Object value) throws SocketException {
        SocketOption<?> option = standardOf(id);
        if (option == null) {
            throw unsupported(apiOf(id), "the libos stack has no such option");
        }
        Object converted = value;
        if (id == SocketOptions.SO_LINGER) {
            // Socket.setSoLinger passes Boolean.FALSE for "off" and an Integer for "on, n seconds".
            converted = value instanceof Integer seconds ? seconds : Integer.valueOf(-1);
        }
        set(socket, (SocketOption<Object>) option, converted, apiOf(id));
    }

    /** {@code impl.getOption(id)} on {@code socket}. */
    static Object get(SocketEndpoint socket, int id) throws SocketException {
        SocketOption<?> option = standardOf(id);
        if (option == null) {
            throw unsupported(apiOf(id), "the libos stack has no such option");
        }
        Object value = get(socket, option, apiOf(id));
        if (id == SocketOptions.SO_LINGER && value instanceof Integer seconds && seconds < 0) {
            return Boolean.FALSE; // what java.net's impls answer for "linger off"
        }
        return value;
    }

    static <T> void set(SocketEndpoint socket, SocketOption<T> option, T value, String api) throws SocketException {
        try {
            socket.setOption(option, value);
        } catch (UnsupportedOperationException e) {
            throw unsupported(api, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new SocketException(api + ": " + e.getMessage());
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    static <T> T get(SocketEndpoint socket, SocketOption<T> option, String api) throws SocketException {
        try {
            return socket.getOption(option);
        } catch (UnsupportedOperationException e) {
            throw unsupported(api, e.getMessage());
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    /** The standard options {@code socket} answers (a get that does not throw). */
    static Set<SocketOption<?>> supported(SocketEndpoint socket) {
        Set<SocketOption<?>> options = new LinkedHashSet<>();
        for (SocketOption<?> option : STANDARD) {
            try {
                socket.getOption(option);
                options.add(option);
            } catch (UnsupportedOperationException | IOException | IllegalArgumentException e) {
                // not supported by this socket
            }
        }
        return options;
    }

    static SocketException unsupported(String api, String why) {
        return new SocketException(api + " is not supported by libos sockets" + (why == null ? "" : ": " + why));
    }

    /** Channel-style failures as the {@link SocketException}s java.net promises. */
    static SocketException asSocketException(IOException e) {
        if (e instanceof SocketException socketException) {
            return socketException;
        }
        SocketException converted = new SocketException(e instanceof ClosedChannelException ? "Socket closed" : e.toString());
        converted.initCause(e);
        return converted;
    }
}
