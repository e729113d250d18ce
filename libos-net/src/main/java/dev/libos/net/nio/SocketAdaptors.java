package dev.libos.net.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;

/**
 * What the socket adaptors share: option access where channel failures become the
 * {@link SocketException}s java.net promises, the argument checks java.net makes, and addresses
 * read from the channel (null once it is closed).
 */
final class SocketAdaptors {
    private SocketAdaptors() {
    }

    static <T> void set(NetworkChannel channel, SocketOption<T> name, T value) throws SocketException {
        try {
            channel.setOption(name, value);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new SocketException(e.getMessage());
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    static <T> T get(NetworkChannel channel, SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (UnsupportedOperationException e) {
            throw new SocketException(e.getMessage());
        } catch (IOException e) {
            throw asSocketException(e);
        }
    }

    private static SocketException asSocketException(IOException e) {
        if (e instanceof SocketException socketException) {
            return socketException;
        }
        if (e instanceof ClosedChannelException) {
            return new SocketException("Socket is closed");
        }
        return new SocketException(e.toString());
    }

    /**
     * @param what the size as java.net names it ("receive buffer size")
     * @return {@code size}
     * @throws IllegalArgumentException unless {@code size} is positive
     */
    static int positiveSize(String what, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + size);
        }
        return size;
    }

    /**
     * SO_TIMEOUT as the adaptors keep it (remembered, not applied).
     *
     * @return {@code timeoutMillis}
     * @throws IllegalArgumentException if it is negative
     */
    static int soTimeout(int timeoutMillis) {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("negative SO_TIMEOUT: " + timeoutMillis);
        }
        return timeoutMillis;
    }

    /** The channel's local address; null while unbound or once the channel is closed. */
    static InetSocketAddress localAddress(NetworkChannel channel) {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException closed) {
            return null;
        }
    }

    /** The IP address of {@code address}, or {@code whenNone} for no address. */
    static InetAddress ipOf(InetSocketAddress address, InetAddress whenNone) {
        return address == null ? whenNone : address.getAddress();
    }

    /** The port of {@code address}, or {@code whenNone} for no address. */
    static int portOf(InetSocketAddress address, int whenNone) {
        return address == null ? whenNone : address.getPort();
    }
}
