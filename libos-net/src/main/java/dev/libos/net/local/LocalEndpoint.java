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

/** What local sockets share: open state, the readiness listener, options. */
abstract class LocalEndpoint implements SocketEndpoint {
    private final ReadinessListeners listeners = new ReadinessListeners();
    private volatile boolean open = true;
    volatile InetSocketAddress local;
    private final Map<SocketOption<?>, Object> options = new HashMap<>();

    LocalEndpoint(SocketOption<?>... supported) {
        for (SocketOption<?> option : supported) {
            options.put(option, defaultValue(option));
        }
    }

    private static Object defaultValue(SocketOption<?> option) {
        if (option == StandardSocketOptions.SO_RCVBUF || option == StandardSocketOptions.SO_SNDBUF) {
            return LocalNetwork.STREAM_BUFFER_BYTES;
        }
        if (option == StandardSocketOptions.SO_LINGER) {
            return -1;
        }
        return Boolean.FALSE;
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
        if (!options.containsKey(name)) {
            throw new UnsupportedOperationException("option not supported by a local socket: " + name);
        }
        if (value instanceof Integer i && i < 0 && name != StandardSocketOptions.SO_LINGER) {
            throw new IllegalArgumentException("negative value for " + name + ": " + value);
        }
        options.put(name, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        if (!options.containsKey(name)) {
            throw new UnsupportedOperationException("option not supported by a local socket: " + name);
        }
        return (T) options.get(name);
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
