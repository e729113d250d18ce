package ${package};

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A JDK HttpServer, with no libos code: run by libos (java -jar target/*.jar, or in a VM with
 * mvn libos:run), its sockets are libos's. Main returns at once; libos keeps the application
 * running while the server listens.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = start(Integer.getInteger("port", 8080));
        System.out.println("${artifactId}: listening on port " + server.getAddress().getPort());
    }

    /** Starts the server on {@code port} (0: any free port). */
    static HttpServer start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", Main::hello);
        server.start();
        return server;
    }

    private static void hello(HttpExchange exchange) throws IOException {
        byte[] body = ("hello from " + System.getProperty("os.name") + " via libos\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
