package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.libos.api.net.Network;
import dev.libos.net.local.LocalNetwork;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rule that picks a provider's network, and the families it opens. */
@Timeout(30)
class LibosSelectorProviderTest {
    @Test
    void theNoArgumentProviderFollowsTheInstalledNetworkAtEachOpen() throws Exception {
        Network before = LibosSelectorProvider.installedNetwork();
        LocalNetwork first = new LocalNetwork();
        LocalNetwork second = new LocalNetwork();
        LibosSelectorProvider provider = new LibosSelectorProvider();
        try {
            LibosSelectorProvider.install(first);
            assertSame(first, provider.network());
            try (ServerSocketChannel server = provider.openServerSocketChannel().bind(Connected.anyLoopbackPort())) {
                LibosSelectorProvider.install(second);
                assertSame(second, provider.network());
                try (SocketChannel onSecond = provider.openSocketChannel()) {
                    // The server lives on the first network: the second one has no listener there.
                    assertThrows(ConnectException.class, () -> onSecond.connect(server.getLocalAddress()));
                }
                LibosSelectorProvider.install(first);
                try (SocketChannel onFirst = provider.openSocketChannel()) {
                    onFirst.connect(server.getLocalAddress());
                    try (SocketChannel accepted = server.accept()) {
                        assertEquals(onFirst.getLocalAddress(), accepted.getRemoteAddress());
                    }
                }
            }
        } finally {
            LibosSelectorProvider.install(before);
        }
    }

    @Test
    void aProviderGivenANetworkKeepsItAndOpensInetFamiliesOnly() throws Exception {
        LocalNetwork network = new LocalNetwork();
        LibosSelectorProvider provider = new LibosSelectorProvider(network);
        assertSame(network, provider.network());
        try (SocketChannel channel = provider.openSocketChannel(StandardProtocolFamily.INET6)) {
            assertInstanceOf(LibosSocketChannel.class, channel);
        }
        assertThrows(UnsupportedOperationException.class, () -> provider.openSocketChannel(StandardProtocolFamily.UNIX));
        assertThrows(NullPointerException.class, () -> new LibosSelectorProvider(null));
    }
}
