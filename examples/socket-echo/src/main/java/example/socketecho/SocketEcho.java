package example.socketecho;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An ordinary java.net echo server, one virtual thread per connection. Nothing here knows libos:
 * run as a libos application, its sockets are libos's. The port is {@code -Dport=N} (default 7007).
 */
public final class SocketEcho {
    private SocketEcho() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.getInteger("port", 7007);
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("socket-echo: listening on port " + server.getLocalPort());
            while (true) {
                Socket connection = server.accept();
                Thread.ofVirtual().name("echo-" + connection.getPort()).start(() -> echo(connection));
            }
        }
    }

    private static void echo(Socket connection) {
        try (connection) {
            connection.getInputStream().transferTo(connection.getOutputStream());
        } catch (IOException e) {
            System.err.println("socket-echo: " + connection.getRemoteSocketAddress() + ": " + e);
        }
    }
}
