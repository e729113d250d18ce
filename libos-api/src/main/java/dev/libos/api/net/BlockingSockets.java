package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocking calls over non-blocking sockets: the calling thread parks until the socket's
 * readiness allows progress (a libos thread gives its CPU away meanwhile). A reader and a writer
 * may block on the same socket at once from two threads.
 */
public final class BlockingSockets {
    private BlockingSockets() {
    }

    /** Reads at least one byte, or returns -1 at end of stream. */
    public static int read(TcpSocket socket, ByteBuffer dst, long timeoutNanos) throws IOException {
        while (true) {
            int n = socket.read(dst);
            if (n != 0 || !dst.hasRemaining()) {
                return n;
            }
            await(socket, Readiness.READ, timeoutNanos);
        }
    }

    /** Writes all of {@code src}. */
    public static void writeFully(TcpSocket socket, ByteBuffer src, long timeoutNanos) throws IOException {
        while (src.hasRemaining()) {
            if (socket.write(src) == 0) {
                await(socket, Readiness.WRITE, timeoutNanos);
            }
        }
    }

    /** Connects, waiting for the handshake. */
    public static void connect(TcpSocket socket, InetSocketAddress remote, long timeoutNanos) throws IOException {
        socket.connect(remote);
        while (!socket.finishConnect()) {
            await(socket, Readiness.CONNECT, timeoutNanos);
        }
    }

    /** Waits for and returns the next connection. */
    public static TcpSocket accept(TcpServerSocket server, long timeoutNanos) throws IOException {
        while (true) {
            TcpSocket socket = server.accept();
            if (socket != null) {
                return socket;
            }
            await(server, Readiness.ACCEPT, timeoutNanos);
        }
    }

    /** Waits for one datagram. */
    public static InetSocketAddress receive(UdpSocket socket, ByteBuffer dst, long timeoutNanos) throws IOException {
        while (true) {
            InetSocketAddress from = socket.receive(dst);
            if (from != null) {
                return from;
            }
            await(socket, Readiness.READ, timeoutNanos);
        }
    }

    /**
     * Parks until {@code socket} is ready for any of {@code ops}, or closed.
     *
     * @param timeoutNanos 0 for no limit
     * @throws SocketTimeoutException when the time runs out
     * @throws java.io.InterruptedIOException when the thread is interrupted
     */
    public static void await(SocketEndpoint socket, int ops, long timeoutNanos) throws IOException {
        Thread waiter = Thread.currentThread();
        ReadinessListeners.Registration registration = socket.addReadinessListener(ready -> {
            if ((ready & ops) != 0) {
                LockSupport.unpark(waiter);
            }
        });
        try {
            long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
            // The listener is set before this check: a change after the check unparks us.
            while ((socket.readyOps() & ops) == 0 && socket.isOpen()) {
                if (timeoutNanos > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("timed out after "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms waiting for "
                                + Readiness.toString(ops));
                    }
                    LockSupport.parkNanos(socket, left);
                } else {
                    LockSupport.park(socket);
                }
                if (Thread.interrupted()) {
                    throw new java.io.InterruptedIOException("interrupted waiting for " + Readiness.toString(ops));
                }
            }
        } finally {
            registration.close();
        }
    }
}
