package dev.libos.hosted;

import dev.libos.jvm.net.PlatformSockets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.spi.BootHook.Environment;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.net.gateway.Forward;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HostedLanTest {
    private static final long TIMEOUT_NANOS = 20_000_000_000L;
    private final Kernel kernel = TestKernels.boot(2);

    @AfterEach
    void tearDown() {
        System.clearProperty(HostedSettings.FORWARDS);
        TestKernels.shutdown(kernel);
    }

    @Test
    void aHostClientReachesTheApplicationThroughTheGateway() throws Exception {
        Forward forward = new Forward(0, 7777);
        try (HostedLan lan = HostedLan.start(kernel, List.of(forward));
                TcpServerSocket listener = lan.application().sockets().openTcpServer()) {
            listener.bind(new InetSocketAddress(7777), 4);
            Thread server = Thread.ofPlatform().start(() -> {
                try (TcpSocket conn = BlockingSockets.accept(listener, TIMEOUT_NANOS)) {
                    BlockingSockets.writeFully(conn, ByteBuffer.wrap("hello from 10.0.2.15".getBytes(StandardCharsets.UTF_8)),
                            TIMEOUT_NANOS);
                    conn.shutdownOutput();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            InetSocketAddress host = lan.gateway().hostAddress(forward);
            assertTrue(host.getAddress().isLoopbackAddress());
            try (Socket client = new Socket(host.getAddress(), host.getPort())) {
                assertArrayEquals("hello from 10.0.2.15".getBytes(StandardCharsets.UTF_8), client.getInputStream().readAllBytes());
            }
            server.join();
            assertEquals(InetAddress.getByName("10.0.2.15"), lan.application().interfaces().get(1).address());
        }
    }

    @Test
    void theApplicationReachesTheHostsLoopbackThroughTheGatewaysAddress() throws Exception {
        try (HostedLan lan = HostedLan.start(kernel, List.of());
                ServerSocket hostServer = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().start(() -> {
                try (Socket conn = hostServer.accept()) {
                    byte[] request = conn.getInputStream().readNBytes(5);
                    conn.getOutputStream().write(("host got " + new String(request, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
                    conn.shutdownOutput();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            try (TcpSocket app = lan.application().sockets().openTcp()) {
                BlockingSockets.connect(app, new InetSocketAddress(InetAddress.getByName("10.0.2.2"), hostServer.getLocalPort()),
                        TIMEOUT_NANOS);
                BlockingSockets.writeFully(app, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), TIMEOUT_NANOS);
                ByteBuffer reply = ByteBuffer.allocate(64);
                while (BlockingSockets.read(app, reply, TIMEOUT_NANOS) >= 0) {
                    // until the host's FIN
                }
                assertEquals("host got hello", new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8));
            }
            server.join();
            assertEquals(1, lan.outboundConnections());
        }
    }

    @Test
    void aResetFromTheHostServiceReachesTheApplication() throws Exception {
        try (HostedLan lan = HostedLan.start(kernel, List.of());
                ServerSocket hostServer = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().start(() -> {
                try (Socket conn = hostServer.accept()) {
                    conn.getInputStream().readNBytes(5);
                    conn.setSoLinger(true, 0); // the close below sends RST, not FIN
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            try (TcpSocket app = lan.application().sockets().openTcp()) {
                BlockingSockets.connect(app, new InetSocketAddress(InetAddress.getByName("10.0.2.2"), hostServer.getLocalPort()),
                        TIMEOUT_NANOS);
                BlockingSockets.writeFully(app, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), TIMEOUT_NANOS);
                // The bridge passes the host's reset on as a reset, at once: not an end of stream,
                // and not a wait until the read times out (the other direction left open).
                java.io.IOException e = assertThrows(java.io.IOException.class,
                        () -> BlockingSockets.read(app, ByteBuffer.allocate(16), TIMEOUT_NANOS));
                assertFalse(e instanceof java.io.InterruptedIOException, e.toString());
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.toString());
            }
            server.join();
        }
    }

    @Test
    void anOutboundConnectionToAPortNobodyServesOnTheHostIsClosed() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        try (HostedLan lan = HostedLan.start(kernel, List.of()); TcpSocket app = lan.application().sockets().openTcp()) {
            BlockingSockets.connect(app, new InetSocketAddress(InetAddress.getByName("10.0.2.2"), free), TIMEOUT_NANOS);
            // The gateway accepted for the host; the host refused; the application sees the end, not a hang.
            int read;
            try {
                read = BlockingSockets.read(app, ByteBuffer.allocate(16), TIMEOUT_NANOS);
            } catch (java.io.IOException reset) {
                read = -1;
            }
            assertEquals(-1, read);
        }
    }

    @Test
    void aTakenHostPortIsABindExceptionNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BindException e = assertThrows(BindException.class,
                    () -> HostedLan.start(kernel, List.of(new Forward(taken.getLocalPort(), 7777))));
            assertTrue(e.getMessage().contains(":" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void theGatewaysHostSideUsesTheJdksOwnProvider() throws Exception {
        assertTrue(PlatformSockets.provider().getClass().getName().startsWith("sun.nio.ch."));
        try (var channel = PlatformSockets.provider().openServerSocketChannel()) {
            assertEquals(PlatformSockets.provider(), channel.provider());
        }
    }

    @Test
    void forwardsComeFromTheSettingElseTheManifestAndABadOneNamesTheSetting() {
        Properties none = new Properties();
        assertEquals(List.of(new Forward(7777, 7777)), HostedSettings.forwards(none, "7777:7777"));
        assertEquals(List.of(), HostedSettings.forwards(none, null));
        Properties set = new Properties();
        set.setProperty("libos.forwards", "8080:80, 9090:90");
        assertEquals(List.of(new Forward(8080, 80), new Forward(9090, 90)), HostedSettings.forwards(set, "7777:7777"));
        Properties empty = new Properties();
        empty.setProperty("libos.forwards", "");
        assertEquals(List.of(), HostedSettings.forwards(empty, "7777:7777"));
        Properties bad = new Properties();
        bad.setProperty("libos.forwards", "8080:80,http");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostedSettings.forwards(bad, null));
        assertTrue(e.getMessage().startsWith("libos.forwards") && e.getMessage().contains("'http'"), e.getMessage());
        IllegalArgumentException manifest = assertThrows(IllegalArgumentException.class,
                () -> HostedSettings.forwards(none, "70000:1"));
        assertTrue(manifest.getMessage().contains("Libos-Forwards"), manifest.getMessage());
    }

    @Test
    void theHookInstallsTheSystemNetworkHostedOnlyAndRemovesItAtShutdown() throws Exception {
        HostedNetworkBootHook hook = new HostedNetworkBootHook();
        assertTrue(hook.runsIn(Environment.HOSTED));
        assertFalse(hook.runsIn(Environment.GUEST));
        assertTrue(hook.order() > 0 && hook.order() < 1000);
        System.setProperty(HostedSettings.FORWARDS, "0:7777");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        hook.run(kernel, Environment.HOSTED, console);
        try {
            assertTrue(SystemNetwork.current().isPresent());
            assertEquals(2, SystemNetwork.current().orElseThrow().interfaces().size());
            String line = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(line.startsWith("libos: network: hosted LAN 10.0.2.15/24, gateway 10.0.2.2, 127.0.0.1:"), line);
            assertTrue(line.contains(" -> 10.0.2.15:7777"), line);
        } finally {
            hook.beforeShutdown(console);
        }
        assertTrue(SystemNetwork.current().isEmpty());
    }
}
