package dev.libos.net.socket;

import dev.libos.api.net.ReadinessListener;
import dev.libos.api.net.ReadinessListeners;
import dev.libos.api.net.SocketEndpoint;
import dev.libos.api.net.SocketOptionValues;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnsupportedAddressTypeException;
import dev.libos.net.wire.Ipv4Address;

/**
 * What the stack's sockets share: the cached readiness (recomputed under the stack lock,
 * read without it), the listener, open state and the common options.
 */
abstract class StackEndpoint implements SocketEndpoint {
    final StackNetwork network;
    private volatile int readyOps;
    private final ReadinessListeners listeners = new ReadinessListeners();
    private volatile boolean open = true;
    volatile InetSocketAddress local;
    volatile boolean reuseAddress;
    volatile boolean reusePort;

    StackEndpoint(StackNetwork network) {
        this.network = network;
    }

    /** The readiness as the protocol state says now; called under the stack lock. */
    abstract int computeReadyOps();

    /** Recomputes readiness under the stack lock; true when it changed. */
    final boolean refreshReadiness() {
        int now = computeReadyOps();
        if (now != readyOps) {
            readyOps = now;
            return true;
        }
        return false;
    }

    @Override
    public final int readyOps() {
        return readyOps;
    }

    @Override
    public final ReadinessListeners.Registration addReadinessListener(ReadinessListener listener) {
        return listeners.add(listener, readyOps);
    }

    final void signal() {
        listeners.signal(readyOps);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    final void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public final void close() throws IOException {
        if (!open) {
            return;
        }
        network.lock();
        try {
            open = false;
            network.remove(this);
            onClose();
            readyOps = computeReadyOps();
        } finally {
            network.unlockAfterCall();
        }
        signal();
        afterClose();
    }

    /** Releases protocol state; called once, under the stack lock. */
    abstract void onClose();

    /** Runs once after {@link #close()} released the stack (a TCP socket's SO_LINGER wait). */
    void afterClose() throws IOException {
    }

    /** The socket kind, for messages ("libos TCP socket"). */
    abstract String kind();

    @Override
    public final <T> void setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        if (!supportedOptions().contains(name)) {
            throw SocketOptionValues.unsupported(name, kind());
        }
        setSupported(name, SocketOptionValues.check(name, value));
    }

    @Override
    public final <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        if (!supportedOptions().contains(name)) {
            throw SocketOptionValues.unsupported(name, kind());
        }
        return name.type().cast(getSupported(name));
    }

    /**
     * Sets one of {@link #supportedOptions()} to a checked value: subclasses take theirs and pass
     * the shared ones (SO_REUSEADDR, SO_REUSEPORT, IP_TOS) here.
     */
    <T> void setSupported(SocketOption<T> name, T value) throws IOException {
        if (name == StandardSocketOptions.SO_REUSEADDR) {
            reuseAddress = (Boolean) value;
        } else if (name == StandardSocketOptions.SO_REUSEPORT) {
            // Accepted; ports are not shared: a second bind of a bound port fails (BindException).
            reusePort = (Boolean) value;
        } else if (name == StandardSocketOptions.IP_TOS) {
            if ((Integer) value != 0) {
                throw new UnsupportedOperationException("IP_TOS " + value + " on a " + kind()
                        + ": the stack sends every datagram with TOS 0, only 0 is accepted");
            }
        } else {
            throw new IllegalStateException("supported but not handled: " + name.name());
        }
    }

    /** The value of one of {@link #supportedOptions()}; see {@link #setSupported}. */
    Object getSupported(SocketOption<?> name) throws IOException {
        if (name == StandardSocketOptions.SO_REUSEADDR) {
            return reuseAddress;
        } else if (name == StandardSocketOptions.SO_REUSEPORT) {
            return reusePort;
        } else if (name == StandardSocketOptions.IP_TOS) {
            return 0;
        }
        throw new IllegalStateException("supported but not handled: " + name.name());
    }

    /** The BindException for a port in use, naming SO_REUSEPORT when the socket set it. */
    final java.net.BindException addressInUse(Object requested) {
        return new java.net.BindException("address in use: " + requested
                + (reusePort ? " (SO_REUSEPORT is accepted but libos does not share ports)" : ""));
    }

    /** The IPv4 address of {@code address} (the stack speaks IPv4 only). */
    static Ipv4Address ipv4(InetAddress address) {
        if (!(address instanceof Inet4Address v4)) {
            throw new UnsupportedAddressTypeException();
        }
        byte[] b = v4.getAddress();
        return Ipv4Address.of(b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF, b[3] & 0xFF);
    }

    static InetSocketAddress inet(Ipv4Address address, int port) {
        int v = address.value();
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 bytes always make an address", e);
        }
    }
}
