package dev.libos.net.gateway;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one connected pair, a host socket and a libos socket, both ways until both directions
 * ended. An end of stream on one side becomes a half-close (FIN) on the other; any failure on
 * one side (a reset, or a socket error) ends the whole connection and is passed on as a reset:
 * the libos socket is closed with {@code SO_LINGER} 0 (an RST to the libos peer), the host socket
 * likewise (the host peer reads "connection reset"). Closing both sockets wakes the other copy,
 * which then ends too: no thread and no socket outlives the connection. Used by the
 * {@link PortForwardingGateway} (host clients to the application) and by libos-hosted's outbound
 * connections (the application to host services).
 */
public final class SocketBridge {
    private static final Logger LOG = LoggerFactory.getLogger(SocketBridge.class);
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    /** Totals over the bridges that share them (e.g. all of one gateway's connections). */
    public static final class Counters {
        private final AtomicLong bytesToLibos = new AtomicLong();
        private final AtomicLong bytesToHost = new AtomicLong();
        private final AtomicLong resetsToLibos = new AtomicLong();
        private final AtomicLong resetsToHost = new AtomicLong();

        public long bytesToLibos() {
            return bytesToLibos.get();
        }

        public long bytesToHost() {
            return bytesToHost.get();
        }

        /** Failures on the host side passed on to the libos peer as a reset. */
        public long resetsToLibos() {
            return resetsToLibos.get();
        }

        /** Failures on the libos side passed on to the host peer as a reset. */
        public long resetsToHost() {
            return resetsToHost.get();
        }
    }

    private final SocketChannel host;
    private final TcpSocket libos;
    private final Counters counters;
    private final String name;
    private final AtomicBoolean failed = new AtomicBoolean();

    /** {@code name} prefixes the second copy's thread and the log messages (e.g. "libos-gateway"). */
    public SocketBridge(SocketChannel host, TcpSocket libos, Counters counters, String name) {
        this.host = host;
        this.libos = libos;
        this.counters = counters;
        this.name = name;
    }

    /**
     * Copies both ways (host to libos on the calling thread, libos to host on a virtual thread)
     * until both directions ended, then closes both sockets.
     */
    public void run() throws InterruptedException {
        try {
            Thread toHost = Thread.ofVirtual().name(name + "-to-host").start(this::copyToHost);
            copyToLibos();
            toHost.join();
        } finally {
            closeQuietly(libos);
            closeQuietly(host);
        }
    }

    private void copyToLibos() {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_BYTES);
        while (true) {
            try {
                if (host.read(buffer.clear()) < 0) {
                    break;
                }
            } catch (IOException e) {
                hostFailed(e);
                return;
            }
            counters.bytesToLibos.addAndGet(buffer.position());
            try {
                BlockingSockets.writeFully(libos, buffer.flip(), 0);
            } catch (IOException e) {
                libosFailed(e);
                return;
            }
        }
        try {
            libos.shutdownOutput(); // the host peer half-closed: pass the FIN on
        } catch (IOException e) {
            libosFailed(e);
        }
    }

    private void copyToHost() {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_BYTES);
        while (true) {
            try {
                if (BlockingSockets.read(libos, buffer.clear(), 0) < 0) {
                    break;
                }
            } catch (IOException e) {
                libosFailed(e);
                return;
            }
            counters.bytesToHost.addAndGet(buffer.position());
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    host.write(buffer);
                }
            } catch (IOException e) {
                hostFailed(e);
                return;
            }
        }
        try {
            host.shutdownOutput(); // the libos peer half-closed: pass the FIN on
        } catch (IOException e) {
            hostFailed(e);
        }
    }

    /** The host side failed (the peer reset, or its socket broke): reset the libos peer. */
    private void hostFailed(IOException e) {
        if (failed.compareAndSet(false, true)) {
            LOG.debug("{} host side ended: {}", name, e.toString());
            counters.resetsToLibos.incrementAndGet();
            resetLibos(libos);
            closeQuietly(host);
        }
    }

    /** The libos side failed (the peer reset, or the stack gave up): reset the host peer. */
    private void libosFailed(IOException e) {
        if (failed.compareAndSet(false, true)) {
            LOG.debug("{} libos side ended: {}", name, e.toString());
            counters.resetsToHost.incrementAndGet();
            resetHost(host);
            closeQuietly(libos);
        }
    }

    private static void resetLibos(TcpSocket libos) {
        try {
            libos.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot reset {}: {}", libos, e.toString());
        }
        closeQuietly(libos);
    }

    /** Closes {@code host} with a reset (SO_LINGER 0) rather than a FIN. */
    static void resetHost(SocketChannel host) {
        try {
            host.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            LOG.debug("cannot reset {}: {}", host, e.toString());
        }
        closeQuietly(host);
    }

    static void closeQuietly(AutoCloseable socket) {
        try {
            socket.close();
        } catch (Exception e) {
            LOG.debug("closing {}: {}", socket, e.toString());
        }
    }
}
