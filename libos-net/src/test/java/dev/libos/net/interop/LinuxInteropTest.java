package dev.libos.net.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.libos.hw.hosted.tap.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libos stack against the Linux kernel's over a TAP interface in a network namespace made
 * (and deleted) by each test: Linux pings libos, curl fetches from a libos HTTP responder, and a
 * libos client downloads 64 MiB from Python's http.server, cleanly and with loss injected on the
 * libos side in both directions. Skips, saying why, without root, {@code /dev/net/tun},
 * {@code ip netns} or the Linux tool a test runs. Set {@code -Dlibos.interop.seed=N} to rerun a
 * lossy run.
 */
@Timeout(180)
class LinuxInteropTest {
    private static final int DOWNLOAD_BYTES = 64 << 20;
    private static final double LOSS_PROBABILITY = 0.01;
    private static final int LINUX_HTTP_PORT = 8077;
    private static final int LIBOS_HTTP_PORT = 8080;

    @TempDir
    Path tempDir;
    private LinuxPeer peer;

    @BeforeEach
    void requireNamespaces() {
        Optional<String> unavailable = NetworkNamespace.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    private static void requireTool(String tool) {
        assumeTrue(NetworkNamespace.toolAvailable(tool), () -> "skipped: '" + tool + "' is not on the PATH");
    }

    @Test
    void linuxPingIsAnswered() throws Exception {
        requireTool("ping");
        peer = new LinuxPeer(UnaryOperator.identity(), 1);
        NetworkNamespace.CommandResult ping = peer.namespace.exec("ping", "-c", "3", "-W", "2", LinuxPeer.LIBOS.toString());
        assertEquals(0, ping.exitCode(), () -> "ping failed:\n" + ping.output() + diagnostics());
        assertTrue(ping.output().contains("3 received"), ping.output());
    }

    @Test
    void curlFetchesAPageFromALibosServer() throws Exception {
        requireTool("curl");
        peer = new LinuxPeer(UnaryOperator.identity(), 2);
        String body = "hello from libos over TAP, token " + Long.toHexString(System.nanoTime()) + "\n";
        try (OneShotHttpResponder responder = new OneShotHttpResponder(peer.network,
                new InetSocketAddress(LinuxPeer.inet(LinuxPeer.LIBOS), LIBOS_HTTP_PORT), body)) {
            NetworkNamespace.CommandResult curl = peer.namespace.exec("curl", "-sS", "--max-time", "20",
                    "http://" + LinuxPeer.LIBOS + ":" + LIBOS_HTTP_PORT + "/hello");
            assertEquals(0, curl.exitCode(), () -> "curl failed:\n" + curl.output() + diagnostics());
            assertEquals(body, curl.output());
            assertEquals("GET /hello HTTP/1.1", responder.awaitRequestLine());
        }
    }

    @Test
    void libosDownloadsSixtyFourMebibytesFromLinuxIntact() throws Exception {
        requireTool("python3");
        peer = new LinuxPeer(UnaryOperator.identity(), 3);
        HttpDownload download = downloadFromLinux(0);
        System.out.printf("interop: clean download of %d bytes: %.1f MB/s (%.2f s)%n", download.bodyBytes(),
                download.megabytesPerSecond(), download.elapsedNanos() / 1e9);
    }

    @Test
    void theDownloadSurvivesLossInBothDirections() throws Exception {
        requireTool("python3");
        long seed = Long.getLong("libos.interop.seed", System.nanoTime());
        System.out.println("interop: lossy download seed " + seed + " (rerun with -Dlibos.interop.seed=" + seed + ")");
        LossyDevice[] lossy = new LossyDevice[1];
        peer = new LinuxPeer(tap -> lossy[0] = new LossyDevice(tap, LOSS_PROBABILITY, seed), seed);
        HttpDownload download = downloadFromLinux(seed);
        System.out.printf("interop: download of %d bytes with %.1f%% loss each way: %.1f MB/s (%.2f s); "
                        + "dropped %d received and %d transmitted frames%n", download.bodyBytes(), LOSS_PROBABILITY * 100,
                download.megabytesPerSecond(), download.elapsedNanos() / 1e9, lossy[0].receiveDropped(),
                lossy[0].transmitDropped());
        assertTrue(lossy[0].receiveDropped() > 0 && lossy[0].transmitDropped() > 0,
                "loss was injected in both directions (seed " + seed + ")");
    }

    /** Serves a seeded 64 MiB file from Linux and fetches it over libos, checking size and digest. */
    private HttpDownload downloadFromLinux(long seed) throws Exception {
        String expectedSha = writeBlob(tempDir.resolve("blob"), seed);
        Process server = peer.namespace.start("python3", "-u", "-m", "http.server", Integer.toString(LINUX_HTTP_PORT),
                "--bind", LinuxPeer.LINUX.toString(), "--directory", tempDir.toString());
        BufferedReader serverOutput = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String banner = serverOutput.readLine(); // printed once the socket listens
        assertTrue(banner != null && banner.startsWith("Serving HTTP"), "python3 http.server did not start: " + banner);
        HttpDownload download;
        try {
            download = HttpDownload.get(peer.network, new InetSocketAddress(LinuxPeer.inet(LinuxPeer.LINUX), LINUX_HTTP_PORT),
                    "/blob");
        } catch (IOException e) {
            throw new AssertionError("download failed (seed " + seed + "): " + e + diagnostics(), e);
        }
        String context = " (seed " + seed + ")" + diagnostics();
        assertEquals(200, download.status(), context);
        assertEquals(DOWNLOAD_BYTES, download.contentLength(), context);
        assertEquals(DOWNLOAD_BYTES, download.bodyBytes(), context);
        assertEquals(expectedSha, download.sha256(), "SHA-256 of the body" + context);
        // What Linux thought of libos's segments: none malformed or with a bad checksum.
        String snmp = peer.namespace.execChecked("cat", "/proc/net/snmp");
        assertEquals(0, snmpCounter(snmp, "Ip", "InHdrErrors"), "Linux IP header errors" + context);
        assertEquals(0, snmpCounter(snmp, "Tcp", "InErrs"), "Linux TCP receive errors" + context);
        assertEquals(0, snmpCounter(snmp, "Tcp", "InCsumErrors"), "Linux TCP checksum errors" + context);
        return download;
    }

    /** A counter of {@code /proc/net/snmp}: a line of names then a line of values per protocol. */
    private static long snmpCounter(String snmp, String protocol, String name) {
        String[] lines = snmp.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith(protocol + ":") && lines[i + 1].startsWith(protocol + ":")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int k = 1; k < names.length; k++) {
                    if (names[k].equals(name)) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        throw new AssertionError("no " + protocol + " " + name + " in /proc/net/snmp:\n" + snmp);
    }

    private static String writeBlob(Path file, long seed) throws IOException {
        MessageDigest digest = HttpDownload.newDigest();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < DOWNLOAD_BYTES / chunk.length; i++) {
                random.nextBytes(chunk);
                digest.update(chunk);
                out.write(chunk);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private String diagnostics() {
        return "\nTAP: " + peer.tap.stats()
                + "\nlibos IP: " + peer.network.withStack(() -> peer.network.ip().stats())
                + "\nlibos TCP: " + peer.network.withStack(() -> peer.network.tcp().counters().nonZero())
                + "\nLinux link:\n" + peer.linuxLinkStats();
    }
}
