package example.httpjdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An ordinary JDK HttpServer: "hello" on {@code /}, a small JSON document on {@code /json}.
 * Nothing here knows libos: run as a libos application, its sockets are libos's.
 * The port is {@code -Dport=N} (default 8080).
 */
public final class HttpJdk {
    private HttpJdk() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.getInteger("port", 8080);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> respond(exchange, "text/plain; charset=utf-8", "hello\n"));
        server.createContext("/json", exchange -> respond(exchange, "application/json",
                "{\"message\":\"hello\",\"path\":\"" + jsonEscape(exchange.getRequestURI().getPath())
                        + "\",\"time\":\"" + Instant.now() + "\"}\n"));
        server.start();
        System.out.println("http-jdk: listening on port " + server.getAddress().getPort());
        // main returns, as in any HttpServer application: the server's dispatcher thread keeps the process running.
    }

    private static void respond(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
