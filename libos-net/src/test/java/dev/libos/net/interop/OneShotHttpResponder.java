package dev.libos.net.interop;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A minimal HTTP/1.1 server on the libos socket API that answers exactly one request with a
 * fixed body and {@code Connection: close}, on a platform thread. It records the request line it
 * saw and any failure for the test to check.
 */
final class OneShotHttpResponder implements AutoCloseable {
    private static final long TIMEOUT_NANOS = 20_000_000_000L;

    private final TcpServerSocket server;
    private final Thread thread;
    private final AtomicReference<String> requestLine = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    OneShotHttpResponder(Network network, InetSocketAddress local, String body) throws IOException {
        server = network.openTcpServer();
        server.bind(local, 4);
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        thread = Thread.ofPlatform().name("http-responder").start(() -> {
            try (TcpSocket conn = BlockingSockets.accept(server, TIMEOUT_NANOS)) {
                String request = readHead(conn);
                requestLine.set(request.substring(0, request.indexOf("\r\n")));
                String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                        + bodyBytes.length + "\r\nConnection: close\r\n\r\n";
                BlockingSockets.writeFully(conn, ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)), TIMEOUT_NANOS);
                BlockingSockets.writeFully(conn, ByteBuffer.wrap(bodyBytes), TIMEOUT_NANOS);
                conn.shutdownOutput();
                ByteBuffer rest = ByteBuffer.allocate(1024);
                while (BlockingSockets.read(conn, rest.clear(), TIMEOUT_NANOS) >= 0) {
                    // until the client closes its side
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    /** Reads up to and including the blank line that ends the request's head. */
    private static String readHead(TcpSocket conn) throws IOException {
        StringBuilder head = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (head.indexOf("\r\n\r\n") < 0) {
            if (head.length() > 16384) {
                throw new IOException("request head longer than 16 KiB");
            }
            if (BlockingSockets.read(conn, buf.clear(), TIMEOUT_NANOS) < 0) {
                throw new IOException("client closed before the end of the request head: " + head);
            }
            head.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
        }
        return head.toString();
    }

    InetSocketAddress localAddress() throws IOException {
        return server.localAddress();
    }

    /** Waits for the one exchange to end and returns the request line, rethrowing a failure. */
    String awaitRequestLine() throws Exception {
        if (!thread.join(java.time.Duration.ofSeconds(30))) {
            throw new AssertionError("responder did not finish: " + java.util.Arrays.toString(thread.getStackTrace()));
        }
        if (failure.get() != null) {
            throw new AssertionError("responder failed", failure.get());
        }
        return requestLine.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
