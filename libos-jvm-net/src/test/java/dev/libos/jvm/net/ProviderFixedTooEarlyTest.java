package dev.libos.jvm.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.HostNetwork;
import dev.libos.api.net.Network;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.spi.BootHook;
import dev.libos.net.local.LocalNetwork;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a JVM where something fixed the SelectorProvider before the hook (this class runs in a JVM
 * of its own), the boot stops with a message naming the cause and the way out; without a system
 * network the hook changes nothing.
 */
class ProviderFixedTooEarlyTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private record LocalHost(Network sockets) implements HostNetwork {
        @Override
        public List<InterfaceInfo> interfaces() {
            return List.of();
        }

        @Override
        public List<InetAddress> dnsServers() {
            return List.of();
        }
    }

    @Test
    void withoutASystemNetworkNothingIsInstalled_thenAnEarlyProviderStopsTheBoot() {
        JvmNetBootHook hook = new JvmNetBootHook();
        assertTrue(hook.runsIn(BootHook.Environment.HOSTED) && hook.runsIn(BootHook.Environment.GUEST));
        hook.run(null, BootHook.Environment.GUEST, console);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no libos network was brought up"));
        assertFalse(JvmNetwork.isInstalled());

        SelectorProvider early = SelectorProvider.provider(); // what a careless boot step would do
        assertFalse(early.getClass().getName().startsWith("dev.libos"), early.toString());
        HostNetwork network = new LocalHost(new LocalNetwork());
        SystemNetwork.install(network);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> hook.run(null, BootHook.Environment.HOSTED, console));
            assertTrue(e.getMessage().contains("SelectorProvider was fixed before libos's network boot hook"), e.getMessage());
            assertTrue(e.getMessage().contains("PlatformSockets"), e.getMessage());
            assertFalse(JvmNetwork.isInstalled());
        } finally {
            SystemNetwork.uninstall(network);
        }
    }
}
