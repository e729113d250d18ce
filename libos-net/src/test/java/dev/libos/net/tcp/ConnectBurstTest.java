package dev.libos.net.tcp;

import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.RST;
import static dev.libos.net.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.libos.net.wire.TcpRepr;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A burst of connections at once, as redis-benchmark opens its 50 (issue 12): at a listener with
 * the backlog a Netty server gets without /proc (its fallback SOMAXCONN, 128; the socket layer
 * makes the SYN backlog at least 16), every SYN of 64 arriving before any handshake completes is
 * answered by its own SYN-ACK, every completing ACK lands in the accept queue before the
 * application accepts any, and nothing is reset, refused or answered with a cookie.
 */
class ConnectBurstTest {
    private static final int CLIENTS = 64;
    private static final int NETTY_FALLBACK_SOMAXCONN = 128;
    private final TcpLayerTest net = new TcpLayerTest();

    @Test
    void sixtyFourSimultaneousConnectsAreAllAcceptedWithoutAReset() {
        TcpLayer layer = net.layer(4096);
        TcpListener listener = layer.listen(6379, Math.max(NETTY_FALLBACK_SOMAXCONN, 16), NETTY_FALLBACK_SOMAXCONN);
        Map<Integer, Integer> serverIsn = new HashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            net.deliver(layer, TcpLayerTest.seg(40_000 + i, 6379, SYN, 1000 * i, 0), i);
        }
        for (TcpRepr synAck; (synAck = net.out.poll()) != null; ) {
            assertEquals(SYN | ACK, synAck.flags(), "answer to port " + synAck.destinationPort());
            assertEquals(1000 * (synAck.destinationPort() - 40_000) + 1, synAck.acknowledgementNumber());
            serverIsn.put(synAck.destinationPort(), synAck.sequenceNumber());
        }
        assertEquals(CLIENTS, serverIsn.size(), "one SYN-ACK per client");
        assertEquals(CLIENTS, listener.halfOpenCount());
        for (int i = 0; i < CLIENTS; i++) {
            int port = 40_000 + i;
            net.deliver(layer, TcpLayerTest.seg(port, 6379, ACK, 1000 * i + 1, serverIsn.get(port) + 1), CLIENTS + i);
        }
        assertEquals(CLIENTS, listener.pendingAccepts(), "every handshake waits in the accept queue");
        assertEquals(0, listener.halfOpenCount());
        for (TcpRepr sent; (sent = net.out.poll()) != null; ) {
            assertEquals(0, sent.flags() & RST, "a reset to port " + sent.destinationPort());
        }
        for (TcpCounter refusal : new TcpCounter[] {TcpCounter.RESETS_SENT, TcpCounter.SYN_BACKLOG_OVERFLOWS,
                TcpCounter.SYN_COOKIES_SENT, TcpCounter.ACCEPT_QUEUE_OVERFLOWS, TcpCounter.CONNECTION_LIMIT_DROPS}) {
            assertEquals(0, layer.counters().get(refusal), refusal.name());
        }
        assertEquals(CLIENTS, layer.counters().get(TcpCounter.CONNECTIONS_ESTABLISHED));
        for (int i = 0; i < CLIENTS; i++) {
            TcpConnection accepted = listener.accept();
            assertNotEquals(null, accepted);
            assertEquals(TcpState.ESTABLISHED, accepted.state());
        }
    }
}
