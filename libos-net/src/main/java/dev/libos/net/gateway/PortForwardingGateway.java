package dev.libos.net.gateway;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a hosted libos application reachable from ordinary clients, as QEMU's {@code hostfwd}
 * does for a guest: it listens on 127.0.0.1 on the host and, for each connection, opens a TCP
 * connection through a libos {@link Network} (a gateway host on the application's link) to the
 * application's address and copies bytes both ways, half-closes included.
 *
 * <p>It binds only the loopback address: nothing outside this machine can reach it. Host-side
 * I/O runs on JDK virtual threads (the JDK's scheduler, not libos CPUs).
 */
public final class PortForwardingGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortForwardingGateway.class);
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private final Network network;
    private final InetAddress guest;
    private final Map<Forward, ServerSocketChannel> listeners = new LinkedHashMap<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytesToGuest = new AtomicLong();
    private final AtomicLong bytesToHost = new AtomicLong();
    private volatile boolean closed;
    /** Where host-side listeners come from: the host's real sockets, whatever provider the JVM defaults to. */
    private final SelectorProvider hostProvider;

    private PortForwardingGateway(Network network, InetAddress guest, SelectorProvider hostProvider) {
        this.network = network;
        this.guest = guest;
        this.hostProvider = hostProvider;
    }

    /**
     * Like {@link #start(Network, InetAddress, List)}, with the host-side listeners opened by
     * {@code hostProvider} (the JDK's platform provider when the JVM's default routes to libos).
     */
    public static PortForwardingGateway start(Network network, InetAddress guest, List<Forward> forwards,
            SelectorProvider hostProvider) throws IOException {
        return new PortForwardingGateway(network, guest, hostProvider).listenAll(forwards);
    }

    /**
     * Listens on 127.0.0.1 for every forward.
     *
     * @param network the gateway host's sockets, on a link that reaches {@code guest}
     * @throws java.net.BindException naming the host port when it is taken
     */
    public static PortForwardingGateway start(Network network, InetAddress guest, List<Forward> forwards)
            throws IOException {
        // The JVM's default provider, read only here: a hosted boot passes the platform's
        // explicitly, so that reading the default never fixes it before libos-jvm-net installs libos.
        return new PortForwardingGateway(network, guest, SelectorProvider.provider()).listenAll(forwards);
    }

    private PortForwardingGateway listenAll(List<Forward> forwards) throws IOException {
        try {
            for (Forward forward : forwards) {
                listen(forward);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        return this;
    }

    private void listen(Forward forward) throws IOException {
        ServerSocketChannel server = hostProvider.openServerSocketChannel();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), forward.hostPort());
        try {
            server.bind(bind, 64);
        } catch (java.net.BindException e) {
            server.close();
            throw new java.net.BindException("cannot forward " + bind + " to guest port " + forward.guestPort()
                    + ": " + e.getMessage());
        }
        listeners.put(forward, server);
        acceptors.add(Thread.ofPlatform().daemon().name("libos-gateway-" + forward.hostPort())
                .start(() -> acceptLoop(server, forward.guestPort())));
        LOG.info("forwarding {} to {}:{}", server.getLocalAddress(), guest.getHostAddress(), forward.guestPort());
    }

    /** Where host clients connect for {@code forward} (its port is the real one when 0 was asked). */
    public InetSocketAddress hostAddress(Forward forward) throws IOException {
        ServerSocketChannel server = listeners.get(forward);
        if (server == null) {
            throw new IllegalArgumentException("not a forward of this gateway: " + forward);
        }
        return (InetSocketAddress) server.getLocalAddress();
    }

    public long connections() {
        return connections.get();
    }

    public long bytesToGuest() {
        return bytesToGuest.get();
    }

    public long bytesToHost() {
        return bytesToHost.get();
    }

    private void acceptLoop(ServerSocketChannel server, int guestPort) {
        while (!closed) {
            SocketChannel host;
            try {
                host = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("gateway accept failed on {}", server, e);
                }
                return;
            }
            connections.incrementAndGet();
            Thread.ofVirtual().name("libos-gateway-conn").start(() -> bridge(host, guestPort));
        }
    }

    private void bridge(SocketChannel host, int guestPort) {
        InetSocketAddress target = new InetSocketAddress(guest, guestPort);
        try (host; TcpSocket libos = network.openTcp()) {
            try {
                // Bytes are passed on as they come: Nagle on either leg would hold the second
                // segment of a response until the client's delayed ACK (40 ms and more).
                host.setOption(StandardSocketOptions.TCP_NODELAY, true);
                libos.setOption(StandardSocketOptions.TCP_NODELAY, true);
                BlockingSockets.connect(libos, target, 0);
            } catch (IOException e) {
                LOG.info("gateway: guest {} refused a connection from {}: {}", target, host.getRemoteAddress(),
                        e.getMessage());
                return;
            }
            Thread toHost = Thread.ofVirtual().start(() -> copyToHost(libos, host));
            copyToGuest(host, libos);
            toHost.join();
        } catch (IOException | InterruptedException e) {
            LOG.debug("gateway connection ended: {}", e.toString());
        }
    }

    private void copyToGuest(SocketChannel host, TcpSocket libos) {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_BYTES);
        try {
            while (host.read(buffer.clear()) >= 0) {
                bytesToGuest.addAndGet(buffer.position());
                BlockingSockets.writeFully(libos, buffer.flip(), 0);
            }
            libos.shutdownOutput(); // the host client half-closed: pass the FIN on
        } catch (IOException e) {
            LOG.debug("gateway host->guest ended: {}", e.toString());
            abort(libos); // the host side failed: the guest must not wait for it
        }
    }

    private void copyToHost(TcpSocket libos, SocketChannel host) {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_BYTES);
        try {
            while (BlockingSockets.read(libos, buffer.clear(), 0) >= 0) {
                bytesToHost.addAndGet(buffer.position());
                buffer.flip();
                while (buffer.hasRemaining()) {
                    host.write(buffer);
                }
            }
            host.shutdownOutput();
        } catch (IOException e) {
            // The guest reset the connection (or it timed out): pass the reset on, or the host
            // client would wait for an answer that cannot come while copyToGuest waits for it.
            LOG.debug("gateway guest->host ended: {}", e.toString());
            abort(host);
        }
    }

    /** Closes {@code socket} with SO_LINGER 0, so its peer sees a reset; wakes whoever blocks on it. */
    private static void abort(java.nio.channels.NetworkChannel socket) {
        try {
            socket.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("gateway: no SO_LINGER 0 on {}: {}", socket, e.toString());
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("gateway: closing {}: {}", socket, e.toString());
        }
    }

    private static void abort(TcpSocket socket) {
        try {
            socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            socket.close();
        } catch (IOException e) {
            LOG.debug("gateway: closing {}: {}", socket, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocketChannel server : listeners.values()) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", server, e.toString());
            }
        }
    }
}
