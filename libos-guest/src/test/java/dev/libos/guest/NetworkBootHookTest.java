package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.HostNetwork.InterfaceInfo;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hook's composition over given cards (the PCI probe itself needs a VM: vm-echo-test). */
@Timeout(60)
class NetworkBootHookTest {
    private static final long TIMEOUT_NANOS = 20_000_000_000L;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final Kernel kernel = TestKernels.boot(1);
    private GuestNetwork network;

    @AfterEach
    void tearDown() {
        if (network != null) {
            network.host().close();
        }
        TestKernels.shutdown(kernel);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutACardTheGuestHasLoopbackOnlyAndSaysSoOnce() throws Exception {
        network = NetworkBootHook.bringUp(kernel, List.of(), NetworkSettings.from(new Properties()), console);
        List<InterfaceInfo> interfaces = network.host().interfaces();
        assertEquals(1, interfaces.size());
        assertTrue(interfaces.getFirst().loopback());
        assertEquals(1, output().split(NetworkBootHook.NO_DEVICE, -1).length - 1, output());
        assertTrue(output().contains("libos.forwards"), output());
        // Loopback works without a card.
        try (TcpServerSocket listener = network.host().sockets().openTcpServer();
                TcpSocket client = network.host().sockets().openTcp()) {
            listener.bind(new InetSocketAddress(0), 1);
            BlockingSockets.connect(client, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    listener.localAddress().getPort()), TIMEOUT_NANOS);
            try (TcpSocket accepted = BlockingSockets.accept(listener, TIMEOUT_NANOS)) {
                assertTrue(accepted.isConnected());
            }
        }
    }

    @Test
    void aStaticAddressIsConfiguredAndPrintedInOneLine() throws Exception {
        MemoryLink link = new MemoryLink("nic", 1, kernel.clock(), LinkFaults.NONE, 1);
        Properties settings = new Properties();
        settings.setProperty("libos.net.address", "10.0.2.15/24");
        settings.setProperty("libos.net.gateway", "10.0.2.2");
        settings.setProperty("libos.net.dns", "10.0.2.3");
        settings.setProperty("libos.net.mtu", "1400");
        network = NetworkBootHook.bringUp(kernel, List.of(new GuestNics.Nic(link.a(), "test card")),
                NetworkSettings.from(settings), console);
        InterfaceInfo nic = network.host().interfaces().get(1);
        assertEquals(InetAddress.getByName("10.0.2.15"), nic.address());
        assertEquals(1400, nic.mtu());
        String line = output().lines().filter(l -> l.contains("(test card)")).findFirst().orElseThrow(() -> new AssertionError(output()));
        assertTrue(line.startsWith("libos: network: " + link.a().name() + " (test card) MAC "), line);
        assertTrue(line.contains("10.0.2.15/24 (static), gateway 10.0.2.2, dns 10.0.2.3, MTU 1400, in "), line);
        assertEquals(1, network.cards());
    }

    @Test
    void dhcpWithoutAnAnswerDoesNotHoldTheBootPastItsBound() throws Exception {
        MemoryLink link = new MemoryLink("nic", 2, kernel.clock(), LinkFaults.NONE, 2);
        Properties settings = new Properties();
        settings.setProperty("libos.net.dhcpWaitSeconds", "0");
        network = NetworkBootHook.bringUp(kernel, List.of(new GuestNics.Nic(link.a(), "silent card")),
                NetworkSettings.from(settings), console);
        assertTrue(output().contains("WARNING no DHCP lease after 0 s (libos.net.dhcpWaitSeconds)"), output());
        assertTrue(output().contains("no address (dhcp), gateway none, dns none"), output());
        assertNull(network.host().interfaces().get(1).address());
        assertFalse(network.host().interfaces().get(1).loopback());
    }
}
