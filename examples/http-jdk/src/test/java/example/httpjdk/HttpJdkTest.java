package example.httpjdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.jvm.net.testing.PeerHttp;
import dev.libos.jvm.net.testing.TestLan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The unmodified JDK HttpServer on the system host, fetched from the peer host and by name. */
@Timeout(60)
class HttpJdkTest {
    private static final int PORT = 8081;
    private TestLan lan;
    private Thread main;

    @BeforeEach
    void startTheServer() throws Exception {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("HttpJdkTest seed " + seed);
        System.setProperty("port", Integer.toString(PORT));
        lan = TestLan.start(seed);
        main = lan.runMain(HttpJdk::main);
        lan.awaitListening(PORT);
    }

    @AfterEach
    void stopTheServer() throws Exception {
        main.interrupt();
        main.join();
        lan.close();
    }

    @Test
    void helloAndJsonAreServedToThePeer() throws Exception {
        InetSocketAddress server = new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), PORT);
        PeerHttp.Response hello = PeerHttp.get(lan.peer(), server, "app", "/");
        assertEquals(200, hello.status());
        assertEquals("hello\n", hello.body());
        PeerHttp.Response json = PeerHttp.get(lan.peer(), server, "app", "/json/items");
        assertEquals(200, json.status());
        assertTrue(json.headers().contains("Content-type: application/json"), json.headers());
        assertTrue(json.body().startsWith("{\"message\":\"hello\",\"path\":\"/json/items\",\"time\":\""), json.body());
    }

    /**
     * The JVM's HttpClient (on the system host: its selector manager is a platform thread on the
     * libos provider) fetches from the server by a name from the hosts entries. The server is on
     * the same libos host, so this needs the stack to deliver to its own address.
     */
    @Test
    void httpClientFetchesByAHostsEntryName() throws Exception {
        assumeTrue(theStackConnectsToItsOwnAddress(), "the libos stack does not deliver to its own address yet");
        lan.addHost("app.lan.test", TestLan.SYSTEM_ADDRESS);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://app.lan.test:" + PORT + "/"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello\n", response.body());
        }
    }

    private boolean theStackConnectsToItsOwnAddress() throws IOException {
        try (TcpServerSocket server = lan.system().openTcpServer(); TcpSocket client = lan.system().openTcp()) {
            server.bind(new InetSocketAddress(9999), 1);
            BlockingSockets.connect(client, new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), 9999),
                    TimeUnit.SECONDS.toNanos(2));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
