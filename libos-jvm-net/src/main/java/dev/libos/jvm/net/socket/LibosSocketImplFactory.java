package dev.libos.jvm.net.socket;

import dev.libos.jvm.net.SystemSockets;
import java.net.SocketImpl;
import java.net.SocketImplFactory;

/**
 * The factories given to {@code Socket.setSocketImplFactory} ({@link #CLIENT}: connecting and
 * accepted sockets) and {@code ServerSocket.setSocketFactory} ({@link #SERVER}). Their impls open
 * their libos socket on the system network installed at that moment.
 */
public final class LibosSocketImplFactory implements SocketImplFactory {
    /** For {@code java.net.Socket}. */
    public static final LibosSocketImplFactory CLIENT = new LibosSocketImplFactory(false);
    /** For {@code java.net.ServerSocket}. */
    public static final LibosSocketImplFactory SERVER = new LibosSocketImplFactory(true);

    private final boolean server;

    private LibosSocketImplFactory(boolean server) {
        this.server = server;
    }

    @Override
    public SocketImpl createSocketImpl() {
        return server ? new LibosServerSocketImpl(SystemSockets.INSTANCE) : new LibosSocketImpl(SystemSockets.INSTANCE);
    }
}
