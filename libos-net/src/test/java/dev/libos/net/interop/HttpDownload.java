package dev.libos.net.interop;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An HTTP/1.0 GET on the libos socket API that streams the body through SHA-256 and counts it.
 *
 * @param status        the status code of the response
 * @param contentLength the Content-Length header, or -1 when absent
 * @param bodyBytes     bytes of body received before the server closed
 * @param sha256        hex SHA-256 of those bytes
 * @param elapsedNanos  from connect to end of stream
 */
record HttpDownload(int status, long contentLength, long bodyBytes, String sha256, long elapsedNanos) {
    private static final long TIMEOUT_NANOS = 30_000_000_000L;

    /** Megabytes (10^6 bytes) of body per second. */
    double megabytesPerSecond() {
        return bodyBytes / 1e6 / (elapsedNanos / 1e9);
    }

    static HttpDownload get(Network network, InetSocketAddress server, String path) throws IOException {
        long start = System.nanoTime();
        MessageDigest digest = newDigest();
        try (TcpSocket socket = network.openTcp()) {
            BlockingSockets.connect(socket, server, TIMEOUT_NANOS);
            String request = "GET " + path + " HTTP/1.0\r\nHost: " + server.getAddress().getHostAddress() + "\r\n\r\n";
            BlockingSockets.writeFully(socket, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)), TIMEOUT_NANOS);
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            StringBuilder head = new StringBuilder();
            int headEnd;
            // The head: read until the blank line; what follows it in the same read is body.
            while (true) {
                if (BlockingSockets.read(socket, buf, TIMEOUT_NANOS) < 0) {
                    throw new IOException("server closed before the end of the response head: " + head);
                }
                head.setLength(0);
                head.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
                headEnd = head.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    break;
                }
                if (!buf.hasRemaining()) {
                    throw new IOException("response head longer than " + buf.capacity() + " bytes");
                }
            }
            String headText = head.substring(0, headEnd);
            int status = Integer.parseInt(headText.split(" ", 3)[1]);
            long contentLength = -1;
            for (String line : headText.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Long.parseLong(line.substring(15).trim());
                }
            }
            int bodyStart = headEnd + 4;
            long body = buf.position() - bodyStart;
            digest.update(buf.array(), bodyStart, (int) body);
            while (BlockingSockets.read(socket, buf.clear(), TIMEOUT_NANOS) >= 0) {
                digest.update(buf.array(), 0, buf.position());
                body += buf.position();
            }
            return new HttpDownload(status, contentLength, body, HexFormat.of().formatHex(digest.digest()),
                    System.nanoTime() - start);
        }
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
