package dev.libos.jvm.net.testing;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 with {@code Connection: close} written directly on a libos {@link Network}'s sockets:
 * the peer host's side of the tests (a client of the system host's servers, or a server for its
 * clients), so that what the test checks never goes through the adapters under test.
 */
public final class PeerHttp {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private PeerHttp() {
    }

    /** A response: status code and body. */
    public record Response(int status, String headers, String body) {
    }

    /** GET {@code path} from {@code server} with {@code Host: host}; reads until the server closes. */
    public static Response get(Network network, InetSocketAddress server, String host, String path) throws IOException {
        try (TcpSocket socket = network.openTcp()) {
            BlockingSockets.connect(socket, server, TIMEOUT_NANOS);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            BlockingSockets.writeFully(socket, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)), TIMEOUT_NANOS);
            String text = readAll(socket);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("not an HTTP response: " + text);
            }
            return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), decodeBody(text.substring(0, end), text.substring(end + 4)));
        }
    }

    private static String decodeBody(String headers, String body) {
        if (!headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    static String readAll(TcpSocket socket) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (BlockingSockets.read(socket, buffer.clear(), TIMEOUT_NANOS) >= 0) {
            bytes.write(buffer.array(), 0, buffer.position());
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Serves {@code body} to every request on {@code port} of {@code network} from a thread of
     * {@code lan}'s kernel, until the returned handle is closed.
     */
    public static AutoCloseable serve(TestLan lan, Network network, int port, String body) throws IOException {
        TcpServerSocket server = network.openTcpServer();
        server.bind(new InetSocketAddress(port), 16);
        lan.startLibosThread("peer-http", () -> {
            while (true) {
                try (TcpSocket socket = BlockingSockets.accept(server, 0)) {
                    readRequest(socket);
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bytes.length
                            + "\r\nConnection: close\r\n\r\n" + body;
                    BlockingSockets.writeFully(socket, ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8)), TIMEOUT_NANOS);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        });
        return server;
    }

    private static void readRequest(TcpSocket socket) throws IOException {
        StringBuilder head = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (head.indexOf("\r\n\r\n") < 0) {
            if (BlockingSockets.read(socket, buffer.clear(), TIMEOUT_NANOS) < 0) {
                throw new IOException("request ended early: " + head);
            }
            head.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
        }
    }
}
