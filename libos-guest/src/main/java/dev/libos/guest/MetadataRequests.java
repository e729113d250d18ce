package dev.libos.guest;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Requests to a metadata service with bounded retries: a connection failure, a timeout or a
 * server error (5xx) is tried again up to {@link MetadataHttp.Limits#attempts()} times; 200 gives
 * the body, 404 gives empty, anything else (and a body over the limit) fails at once.
 */
final class MetadataRequests {
    private final MetadataHttp http;
    private final MetadataHttp.Limits limits;

    MetadataRequests(MetadataHttp.Limits limits) {
        this.http = new MetadataHttp(limits);
        this.limits = limits;
    }

    /**
     * @return the body of a 200, empty for a 404
     * @throws IOException naming the URI and the last failure once the attempts are used up
     */
    Optional<byte[]> get(String method, URI uri, Map<String, String> headers) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= limits.attempts(); attempt++) {
            if (attempt > 1) {
                pause();
            }
            try {
                MetadataHttp.Response response = http.send(method, uri, headers);
                if (response.status() == 200) {
                    return Optional.of(response.body());
                }
                if (response.status() == 404) {
                    return Optional.empty();
                }
                last = new IOException(method + " " + uri + ": HTTP " + response.status());
                if (response.status() < 500) {
                    throw last;
                }
            } catch (MetadataHttp.TooLargeException e) {
                throw e;
            } catch (IOException e) {
                if (e == last) {
                    throw e;
                }
                last = e;
            }
        }
        throw new IOException(method + " " + uri + ": failed after " + limits.attempts() + " attempts (last: " + last.getMessage() + ")", last);
    }

    private void pause() throws IOException {
        try {
            Thread.sleep(limits.pause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry the metadata service", e);
        }
    }
}
