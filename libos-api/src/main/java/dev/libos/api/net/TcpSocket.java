package dev.libos.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** A TCP connection endpoint; non-blocking. */
public interface TcpSocket extends SocketEndpoint {
    /** Binds the local address before connecting (optional: connect picks an ephemeral port). */
    void bind(InetSocketAddress local) throws IOException;

    /**
     * Starts connecting to {@code remote}; {@link Readiness#CONNECT} is raised when the attempt
     * ends, and {@link #finishConnect()} then tells how.
     *
     * @throws java.nio.channels.AlreadyConnectedException if connected or connecting
     */
    void connect(InetSocketAddress remote) throws IOException;

    /**
     * @return true once connected, false while the attempt is in progress
     * @throws java.net.ConnectException naming the address when refused, reset or timed out
     */
    boolean finishConnect() throws IOException;

    boolean isConnected();

    /** The peer's address, or null before connect. */
    InetSocketAddress remoteAddress();

    /**
     * Reads into {@code dst}.
     *
     * @return bytes read; 0 when none are available; -1 once the peer closed its side and
     *     every byte has been read
     * @throws java.net.SocketException when the connection was reset
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes from {@code src}.
     *
     * @return bytes accepted into the send buffer; 0 when it is full
     * @throws java.net.SocketException when the connection was reset or output is shut down
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Zero-copy read: hands {@code reader} a view of received bytes where the stack keeps them
     * (one contiguous region; call again for more), and drops from the socket as many bytes as the
     * reader reports having used. The view is valid only during the call, and the reader runs
     * with the socket (for the libos stack, the whole stack) locked: it must be short and must not
     * block.
     *
     * @return bytes used; 0 when none are available (the reader is not called); -1 at end of stream
     */
    int readInPlace(InPlaceReader reader) throws IOException;

    /**
     * Zero-copy write: hands {@code writer} a view of free send-buffer space (one contiguous
     * region of at most {@code maxBytes}) to fill; the bytes it reports having written are sent.
     * Same rules as {@link #readInPlace}.
     *
     * @return bytes written; 0 when the send buffer is full (the writer is not called)
     */
    int writeInPlace(int maxBytes, InPlaceWriter writer) throws IOException;

    /** Consumes received bytes in place. */
    @FunctionalInterface
    interface InPlaceReader {
        /** @return how many bytes of {@code received} (from its start) were used */
        int read(MemorySegment received);
    }

    /** Produces bytes to send in place. */
    @FunctionalInterface
    interface InPlaceWriter {
        /** @return how many bytes were written at the start of {@code space} */
        int write(MemorySegment space);
    }

    /** Sends FIN after the bytes already written (half-close). */
    void shutdownOutput() throws IOException;

    /** Discards further input; reads return -1. */
    void shutdownInput() throws IOException;
}
