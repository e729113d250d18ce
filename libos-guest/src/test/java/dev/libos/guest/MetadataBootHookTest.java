package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metadata client against an HTTP server this test runs on loopback, one per flavour and failure. */
class MetadataBootHookTest {
    /**
     * Bounds for the cases that expect an answer: generous, so that a loaded machine (a cold
     * HttpServer on a busy CI core can take over a second to answer) never turns them into a
     * timeout; the boot uses {@link MetadataHttp.Limits#BOOT}.
     */
    private static final MetadataHttp.Limits LIMITS = new MetadataHttp.Limits(Duration.ofSeconds(20), Duration.ofSeconds(30), 1024, 3, Duration.ofMillis(10));
    /** Short bounds for the case that expects every attempt to time out, so that it stays quick. */
    private static final MetadataHttp.Limits SHORT_TIMEOUT = new MetadataHttp.Limits(Duration.ofMillis(300), Duration.ofSeconds(2), 1024, 3, Duration.ofMillis(10));
    private static final String USER_DATA = "#libos-config\nproperties:\n  libos.metadata.test: from-%s\nenvironment:\n  %s: env-%s\n";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);
    private HttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        System.clearProperty("libos.metadata.test");
    }

    private URI serve(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    private void assertApplied(String flavour, String variable) {
        assertEquals("from-" + flavour, System.getProperty("libos.metadata.test"));
        assertEquals("env-" + flavour, System.getenv(variable));
        assertTrue(console().contains("1 properties and 1 environment variables from user-data"), console());
    }

    @Test
    void ec2TakesAnImdsV2TokenAndSendsItWithTheUserDataRequest() throws Exception {
        String variable = "LIBOS_METADATA_EC2_" + System.nanoTime();
        URI base = serve(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/latest/api/token") && exchange.getRequestMethod().equals("PUT")
                    && "21600".equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds"))) {
                reply(exchange, 200, "token-abc");
            } else if (path.equals("/latest/user-data") && exchange.getRequestMethod().equals("GET")) {
                boolean authorised = "token-abc".equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"));
                reply(exchange, authorised ? 200 : 401, authorised ? USER_DATA.formatted("ec2", variable, "ec2") : "");
            } else {
                reply(exchange, 400, "");
            }
        });
        MetadataBootHook.apply(MetadataService.EC2, base, LIMITS, console);
        assertEquals(List.of("PUT /latest/api/token", "GET /latest/user-data"), requests);
        assertApplied("ec2", variable);
    }

    @Test
    void ec2WithoutATokenFailsNamingTheTokenRequest() throws Exception {
        URI base = serve(exchange -> reply(exchange, 404, ""));
        IOException e = assertThrows(IOException.class, () -> MetadataBootHook.apply(MetadataService.EC2, base, LIMITS, console));
        assertTrue(e.getMessage().contains("libos.metadata=ec2") && e.getMessage().contains("/latest/api/token"), e.getMessage());
    }

    @Test
    void gceSendsTheMetadataFlavorHeader() throws Exception {
        String variable = "LIBOS_METADATA_GCE_" + System.nanoTime();
        URI base = serve(exchange -> {
            boolean ok = exchange.getRequestURI().getPath().equals("/computeMetadata/v1/instance/attributes/user-data")
                    && "Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"));
            reply(exchange, ok ? 200 : 403, ok ? USER_DATA.formatted("gce", variable, "gce") : "");
        });
        MetadataBootHook.apply(MetadataService.GCE, base, LIMITS, console);
        assertEquals(List.of("GET /computeMetadata/v1/instance/attributes/user-data"), requests);
        assertApplied("gce", variable);
    }

    @Test
    void openStackReadsTheLatestUserData() throws Exception {
        String variable = "LIBOS_METADATA_OPENSTACK_" + System.nanoTime();
        URI base = serve(exchange -> {
            boolean ok = exchange.getRequestURI().getPath().equals("/openstack/latest/user_data");
            reply(exchange, ok ? 200 : 404, ok ? USER_DATA.formatted("openstack", variable, "openstack") : "");
        });
        MetadataBootHook.apply(MetadataService.OPENSTACK, base, LIMITS, console);
        assertApplied("openstack", variable);
    }

    @Test
    void noUserDataIsSaidAndTheBootGoesOn() throws Exception {
        URI base = serve(exchange -> reply(exchange, 404, ""));
        MetadataBootHook.apply(MetadataService.OPENSTACK, base, LIMITS, console);
        assertTrue(console().contains("libos.metadata=openstack at " + base + ": no user-data (HTTP 404)"), console());
        assertEquals(1, requests.size(), "a 404 is not retried");
    }

    @Test
    void userDataForOtherSoftwareIsLeftAlone() throws Exception {
        URI base = serve(exchange -> reply(exchange, 200, "#cloud-config\npackages: [nginx]\n"));
        MetadataBootHook.apply(MetadataService.GCE, base, LIMITS, console);
        assertTrue(console().contains("user-data left alone (not #libos-config)"), console());
        assertEquals(null, System.getProperty("libos.metadata.test"));
    }

    @Test
    void malformedUserDataStopsTheBootNamingTheSourceAndLine() throws Exception {
        URI base = serve(exchange -> reply(exchange, 200, "#libos-config\nproperties:\n\tgreeting: x\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetadataBootHook.apply(MetadataService.GCE, base, LIMITS, console));
        assertTrue(e.getMessage().startsWith("libos.metadata=gce at " + base + ": user-data line 3: a tab"), e.getMessage());
    }

    @Test
    void aBodyOverTheLimitFailsNamingTheLimitWithAndWithoutContentLength() throws Exception {
        String big = "#libos-config\n" + "#".repeat(LIMITS.maxBytes());
        URI base = serve(exchange -> {
            byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
            // /openstack/... declares its length; the EC2 path sends the same body chunked (length 0).
            boolean chunked = exchange.getRequestURI().getPath().equals("/latest/user-data");
            if (exchange.getRequestURI().getPath().equals("/latest/api/token")) {
                reply(exchange, 200, "t");
                return;
            }
            exchange.sendResponseHeaders(200, chunked ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException ignored) {
                // the client hung up on reaching the limit
            }
        });
        for (MetadataService service : List.of(MetadataService.OPENSTACK, MetadataService.EC2)) {
            requests.clear();
            IOException e = assertThrows(IOException.class, () -> MetadataBootHook.apply(service, base, LIMITS, console));
            assertTrue(e.getMessage().contains("over the limit of 1024 bytes"), e.getMessage());
            assertEquals(service == MetadataService.EC2 ? 2 : 1, requests.size(), "an oversized body is not retried: " + requests);
        }
    }

    @Test
    void aSlowServerTimesOutAfterBoundedAttempts() throws Exception {
        URI base = serve(exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        IOException e = assertThrows(IOException.class, () -> MetadataBootHook.apply(MetadataService.GCE, base, SHORT_TIMEOUT, console));
        assertTrue(e.getMessage().contains("libos.metadata=gce") && e.getMessage().contains("failed after 3 attempts")
                && e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
        assertEquals(3, requests.size(), requests.toString());
    }

    @Test
    void aServerTricklingItsBodyIsCutOffAtTheDeadline() throws Exception {
        // One byte per 50 ms: every read is well within the read timeout (also on a loaded
        // machine), only the deadline ends it.
        MetadataHttp.Limits limits = new MetadataHttp.Limits(Duration.ofSeconds(20), Duration.ofMillis(400), 1024, 2, Duration.ofMillis(10));
        URI base = serve(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1000 && !release.await(50, TimeUnit.MILLISECONDS); i++) {
                    out.write('#');
                    out.flush();
                }
            } catch (IOException | InterruptedException ignored) {
                // the client hung up at its deadline
            }
        });
        IOException e = assertThrows(IOException.class, () -> MetadataBootHook.apply(MetadataService.OPENSTACK, base, limits, console));
        assertTrue(e.getMessage().contains("failed after 2 attempts") && e.getMessage().contains("response not complete within 400 ms"),
                e.getMessage());
        assertEquals(2, requests.size(), requests.toString());
    }

    @Test
    void aServerErrorIsRetriedAndAClientErrorIsNot() throws Exception {
        String variable = "LIBOS_METADATA_RETRY_" + System.nanoTime();
        URI base = serve(exchange -> {
            if (exchange.getRequestURI().getPath().startsWith("/computeMetadata")) {
                reply(exchange, 403, "");
            } else {
                reply(exchange, requests.size() < 3 ? 503 : 200, USER_DATA.formatted("retry", variable, "retry"));
            }
        });
        MetadataBootHook.apply(MetadataService.OPENSTACK, base, LIMITS, console);
        assertEquals(3, requests.size(), requests.toString());
        assertApplied("retry", variable);

        requests.clear();
        IOException e = assertThrows(IOException.class, () -> MetadataBootHook.apply(MetadataService.GCE, base, LIMITS, console));
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        assertEquals(1, requests.size(), requests.toString());
    }

    @Test
    void aClosedPortFailsAfterTheAttempts() throws Exception {
        URI base = serve(exchange -> reply(exchange, 200, ""));
        server.stop(0);
        server = null;
        IOException e = assertThrows(IOException.class, () -> MetadataBootHook.apply(MetadataService.OPENSTACK, base, LIMITS, console));
        assertTrue(e.getMessage().contains("failed after 3 attempts"), e.getMessage());
    }

    @Test
    void withoutLibosJvmNetOnLibosNetworkTheBootStopsNamingTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MetadataBootHook.requireJvmSocketsOnLibos(true, false));
        assertTrue(e.getMessage().startsWith("libos.metadata needs libos-jvm-net"), e.getMessage());
        MetadataBootHook.requireJvmSocketsOnLibos(true, true);
        MetadataBootHook.requireJvmSocketsOnLibos(false, false); // libos.network=linux or hosted: the JDK's own sockets work
    }

    @Test
    void theSettingsAreOffByDefaultAndBadValuesNameTheSetting() {
        Properties settings = new Properties();
        assertFalse(MetadataBootHook.service(settings).isPresent());
        assertEquals(URI.create("http://169.254.169.254"), MetadataBootHook.baseUrl(settings));
        settings.setProperty("libos.metadata", "off");
        assertFalse(MetadataBootHook.service(settings).isPresent());
        settings.setProperty("libos.metadata", "EC2");
        assertEquals(MetadataService.EC2, MetadataBootHook.service(settings).orElseThrow());
        settings.setProperty("libos.metadata", "azure");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetadataBootHook.service(settings));
        assertEquals("libos.metadata=azure is not a metadata service (ec2, gce, openstack or off)", e.getMessage());
        for (String bad : List.of("ftp://169.254.169.254", "http://169.254.169.254/latest", "not a url", "http:///x", "http://h/?q")) {
            settings.setProperty("libos.metadata.url", bad);
            IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> MetadataBootHook.baseUrl(settings), bad);
            assertTrue(u.getMessage().startsWith("libos.metadata.url=" + bad + " is not"), u.getMessage());
        }
        settings.setProperty("libos.metadata.url", "http://127.0.0.1:8080/");
        assertEquals(URI.create("http://127.0.0.1:8080/"), MetadataBootHook.baseUrl(settings));
    }
}
