package example.httpjdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.jvm.net.testing.PeerHttp;
import dev.libos.jvm.net.testing.TestLan;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The unmodified JDK HttpServer on the system host, fetched from the peer host. */
@Timeout(60)
class HttpJdkTest {
    @Test
    void helloAndJsonAreServedToThePeer() throws Exception {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("HttpJdkTest seed " + seed);
        System.setProperty("port", "8081");
        try (TestLan lan = TestLan.start(seed)) {
            Thread main = lan.runMain(HttpJdk::main);
            lan.awaitListening(8081);
            InetSocketAddress server = new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), 8081);
            PeerHttp.Response hello = PeerHttp.get(lan.peer(), server, "app", "/");
            assertEquals(200, hello.status());
            assertEquals("hello\n", hello.body());
            PeerHttp.Response json = PeerHttp.get(lan.peer(), server, "app", "/json/items");
            assertEquals(200, json.status());
            assertTrue(json.headers().contains("Content-type: application/json"), json.headers());
            assertTrue(json.body().startsWith("{\"message\":\"hello\",\"path\":\"/json/items\",\"time\":\""), json.body());
            main.interrupt();
            main.join();
        }
    }
}
