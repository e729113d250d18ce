package dev.libos.net.gateway;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
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
 * application's address and copies bytes both ways, half-closes included. A reset on either
 * side is passed on as a reset on the other, and every connection releases both sockets and its
 * two threads when it ends, however it ends.
 *
 * <p>It binds only the loopback address: nothing outside this machine can reach it. Host-side
 * I/O runs on JDK virtual threads (the JDK's scheduler, not libos CPUs).
 */
public final class PortForwardingGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortForwardingGateway.class);

    private final Network network;
    private final InetAddress guest;
    private final Map<Forward, ServerSocketChannel> listeners = new LinkedHashMap<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    /** Bytes and resets over all bridged connections. */
    private final SocketBridge.Counters bridged = new SocketBridge.Counters();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;
    /** Where host-side listeners come from: the host's real sockets, whatever provider the JVM defaults to. */
    private final SelectorProvider hostProvider;

    private PortForwardingGateway(Network network, InetAddress guest, SelectorProvider hostProvider) {
        this.network = network;
        this.guest = guest;
        this.hostProvider = hostProvider;
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
        return start(network, guest, forwards, SelectorProvider.provider());
    }

    /**
     * Like {@link #start(Network, InetAddress, List)}, with the host-side listeners opened by
     * {@code hostProvider} (the JDK's platform provider when the JVM's default routes to libos).
     */
    public static PortForwardingGateway start(Network network, InetAddress guest, List<Forward> forwards,
            SelectorProvider hostProvider) throws IOException {
        PortForwardingGateway gateway = new PortForwardingGateway(network, guest, hostProvider);
        try {
            for (Forward forward : forwards) {
                gateway.listen(forward);
            }
        } catch (IOException e) {
            gateway.close();
            throw e;
        }
        return gateway;
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
        return bridged.bytesToLibos();
    }

    public long bytesToHost() {
        return bridged.bytesToHost();
    }

    /** Forwarded connections still open (both sockets held, bridge threads alive). */
    public long activeConnections() {
        return active.get();
    }

    /** Host connections refused because the libos side could not connect (reset at once). */
    public long refusedConnections() {
        return refused.get();
    }

    /** Failures on the host side passed on to the libos peer as a reset. */
    public long resetsToGuest() {
        return bridged.resetsToLibos();
    }

    /** Failures on the libos side passed on to the host client as a reset. */
    public long resetsToHost() {
        return bridged.resetsToHost();
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
        active.incrementAndGet();
        try {
            TcpSocket libos = connectToGuest(host, new InetSocketAddress(guest, guestPort));
            if (libos == null) {
                return;
            }
            new SocketBridge(host, libos, bridged, "libos-gateway").run(); // closes both
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            SocketBridge.closeQuietly(host);
            active.decrementAndGet();
        }
    }

    /** The libos connection for {@code host}, or null when the guest side refused (the host client is reset). */
    private TcpSocket connectToGuest(SocketChannel host, InetSocketAddress target) {
        TcpSocket libos = null;
        try {
            libos = network.openTcp();
            // Bytes are passed on as they come: Nagle on either leg would hold the second
            // segment of a response until the client's delayed ACK (40 ms and more).
            host.setOption(StandardSocketOptions.TCP_NODELAY, true);
            libos.setOption(StandardSocketOptions.TCP_NODELAY, true);
            BlockingSockets.connect(libos, target, 0);
            return libos;
        } catch (IOException e) {
            refused.incrementAndGet();
            LOG.info("gateway: guest {} refused a connection from {}: {}", target, remoteOf(host), e.getMessage());
            if (libos != null) {
                SocketBridge.closeQuietly(libos);
            }
            // Refuse the host client at once with a reset rather than a clean end of stream.
            SocketBridge.resetHost(host);
            return null;
        }
    }

    private static Object remoteOf(SocketChannel host) {
        try {
            return host.getRemoteAddress();
        } catch (IOException e) {
            return "?";
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
