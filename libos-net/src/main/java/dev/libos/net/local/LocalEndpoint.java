package dev.libos.net.local;

import dev.libos.api.net.ReadinessListener;
import dev.libos.api.net.ReadinessListeners;
import dev.libos.api.net.SocketEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import dev.libos.api.net.SocketOptionValues;
import jdk.net.ExtendedSocketOptions;

/** What local sockets share: open state, the readiness listener, options. */
abstract class LocalEndpoint implements SocketEndpoint {
    private final ReadinessListeners listeners = new ReadinessListeners();
    private volatile boolean open = true;
    volatile InetSocketAddress local;
    private final Map<SocketOption<?>, Object> options = new HashMap<>();
    private final Set<SocketOption<?>> supported;

    LocalEndpoint(SocketOption<?>... supported) {
        for (SocketOption<?> option : supported) {
            options.put(option, defaultValue(option));
        }
        this.supported = Set.of(supported);
    }

    /** Linux's defaults (keep-alive times from tcp(7)); buffer sizes are the rings'. */
    private static Object defaultValue(SocketOption<?> option) {
        if (option == StandardSocketOptions.SO_RCVBUF || option == StandardSocketOptions.SO_SNDBUF) {
            return LocalNetwork.STREAM_BUFFER_BYTES;
        }
        if (option == StandardSocketOptions.SO_LINGER) {
            return -1;
        }
        if (option == StandardSocketOptions.IP_TOS) {
            return 0;
        }
        if (option == ExtendedSocketOptions.TCP_KEEPIDLE) {
            return 7200;
        }
        if (option == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            return 75;
        }
        if (option == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            return 9;
        }
        return Boolean.FALSE;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return supported;
    }

    /** Applies a checked option value where it has an effect (ring sizes); returns the value in effect. */
    Object applyOption(SocketOption<?> name, Object value) {
        return value;
    }

    /** The value in effect of an option the socket computes rather than stores (ring sizes), else {@code stored}. */
    Object currentOption(SocketOption<?> name, Object stored) {
        return stored;
    }

    /** A stored option value, for subclasses (close reads SO_LINGER). */
    final synchronized Object storedOption(SocketOption<?> name) {
        return options.get(name);
    }

    @Override
    public ReadinessListeners.Registration addReadinessListener(ReadinessListener listener) {
        return listeners.add(listener, readyOps()); // told at once: a change may predate it
    }

    /** Tells the listeners that readiness may have changed. */
    final void signal() {
        listeners.signal(readyOps());
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public synchronized <T> void setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        if (!supported.contains(name)) {
            throw SocketOptionValues.unsupported(name, "local socket");
        }
        options.put(name, applyOption(name, SocketOptionValues.check(name, value)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        if (!supported.contains(name)) {
            throw SocketOptionValues.unsupported(name, "local socket");
        }
        return (T) currentOption(name, options.get(name));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            onClose();
            signal();
        }
    }

    /** Releases what the socket holds; called once. */
    abstract void onClose();

    final void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
