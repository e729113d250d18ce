package dev.libos.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One bounded HTTP request to a cloud metadata service, with the JDK's
 * {@link HttpURLConnection} (java.base: no extra module in the image; in a guest its sockets are
 * libos's through libos-jvm-net). Never through a proxy (the service is link-local), no redirects
 * followed, connect and every read bounded by {@link Limits#timeout()}, the whole exchange by
 * {@link Limits#deadline()}, and the body by {@link Limits#maxBytes()}.
 */
final class MetadataHttp {
    /** The bounds of one request and of the retries around it. */
    record Limits(Duration timeout, Duration deadline, int maxBytes, int attempts, Duration pause) {
        /** For a boot: a few seconds per request, three tries, 64 KiB (cloud-init allows EC2 16 KiB). */
        static final Limits BOOT = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), 64 * 1024, 3, Duration.ofMillis(500));
    }

    /** A response: its status and body (empty for statuses other than 200). */
    record Response(int status, byte[] body) {
    }

    /** A body larger than {@link Limits#maxBytes()}: not worth a retry. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    private final Limits limits;

    MetadataHttp(Limits limits) {
        this.limits = limits;
    }

    /**
     * Sends {@code method} to {@code uri} with {@code headers} and an empty body.
     *
     * @throws IOException on a connection failure, a timeout or a body over the limit, naming the URI
     */
    Response send(String method, URI uri, Map<String, String> headers) throws IOException {
        long deadline = System.nanoTime() + limits.deadline().toNanos();
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            int timeout = Math.toIntExact(limits.timeout().toMillis());
            connection.setConnectTimeout(timeout);
            connection.setReadTimeout(timeout);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestMethod(method);
            connection.setRequestProperty("Connection", "close");
            headers.forEach(connection::setRequestProperty);
            if (method.equals("PUT")) {
                // An empty body with Content-Length: 0, as IMDSv2's token request is sent.
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
                connection.getOutputStream().close();
            }
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                return new Response(status, new byte[0]);
            }
            long length = connection.getContentLengthLong();
            if (length > limits.maxBytes()) {
                throw tooLarge(uri, "Content-Length " + length);
            }
            try (InputStream in = connection.getInputStream()) {
                return new Response(status, readBounded(in, uri, deadline));
            }
        } finally {
            connection.disconnect();
        }
    }

    private byte[] readBounded(InputStream in, URI uri, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (body.size() + n > limits.maxBytes()) {
                throw tooLarge(uri, "more than " + limits.maxBytes() + " bytes");
            }
            body.write(buffer, 0, n);
            // Each read is bounded by the read timeout; a server trickling bytes is bounded here.
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException(uri + ": response not complete within " + limits.deadline().toMillis() + " ms");
            }
        }
        return body.toByteArray();
    }

    private TooLargeException tooLarge(URI uri, String what) {
        return new TooLargeException(uri + ": response body " + what + " is over the limit of " + limits.maxBytes() + " bytes");
    }
}
