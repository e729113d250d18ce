package example.httpclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An ordinary {@link HttpClient}: fetches {@code -Durl=...} (default
 * {@code http://host.libos.test:8000/}), prints the status and the body's first line, and exits
 * 0 on status 200, 1 otherwise. Nothing here knows libos: run as a libos application, the name
 * is resolved and the connection made by libos.
 */
public final class HttpFetch {
    private HttpFetch() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(System.getProperty("url", "http://host.libos.test:8000/"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        String firstLine = response.body().lines().findFirst().orElse("");
        System.out.println("http-client: " + url + " answered " + response.statusCode() + ": " + firstLine);
        if (response.statusCode() != 200) {
            System.exit(1);
        }
    }
}
