package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.libos.net.local.LocalNetwork;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK's HttpServer, unmodified, serving over the provider. HttpServer opens its channels and
 * selector through the system-wide provider, so this class runs in its own surefire execution
 * (libos-net/pom.xml) with {@code -Djava.nio.channels.spi.SelectorProvider} set.
 */
@Timeout(60)
class HttpServerOnProviderTest {
    @Test
    void servesARequestToAClientOnALibosSocketChannel() throws Exception {
        // Outside its own execution (e.g. under -Dtest=...) the JVM-wide provider is the JDK's: skip.
        assumeTrue(Boolean.getBoolean("libos.nio.systemProvider"), "needs the system-wide-selector-provider execution");
        assertInstanceOf(LibosSelectorProvider.class, SelectorProvider.provider());
        LibosSelectorProvider.install(new LocalNetwork());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = ("hello " + exchange.getRequestURI().getQuery() + " from port "
                    + exchange.getRemoteAddress().getPort()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (SocketChannel client = SelectorProvider.provider().openSocketChannel()) {
            assertInstanceOf(LibosSocketChannel.class, client);
            client.connect(server.getAddress());
            String request = "GET /hello?libos HTTP/1.1\r\nHost: libos\r\nConnection: close\r\n\r\n";
            client.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(1024);
            while (client.read(buf.clear()) >= 0) {
                response.write(buf.array(), 0, buf.position());
            }
            String text = response.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 200"), text);
            int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            assertEquals("hello libos from port " + clientPort, text.substring(text.indexOf("\r\n\r\n") + 4));
        } finally {
            server.stop(0);
        }
    }
}
