package dev.libos.net.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The error paths and peer signalling of a local stream connection, which the network contract does not reach. */
class LocalTcpSocketTest {
    private final LocalNetwork network = new LocalNetwork();

    private record Pair(TcpSocket client, TcpSocket server) {
    }

    private Pair connect() throws IOException {
        try (TcpServerSocket listener = network.openTcpServer()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            TcpSocket client = network.openTcp();
            client.connect(listener.localAddress());
            assertTrue(client.finishConnect());
            return new Pair(client, listener.accept());
        }
    }

    @Test
    void unconnectedAndClosedSocketsRefuseTransfers() throws IOException {
        TcpSocket socket = network.openTcp();
        assertThrows(NotYetConnectedException.class, () -> socket.read(ByteBuffer.allocate(1)));
        assertThrows(NotYetConnectedException.class, () -> socket.writeInPlace(1, space -> 0));
        socket.close();
        assertThrows(ClosedChannelException.class, () -> socket.write(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> socket.readInPlace(received -> 0));
    }

    @Test
    void closingWithUnreadInputResetsThePeerAndAFullyReadCloseDoesNot() throws IOException {
        Pair unread = connect();
        assertEquals(3, unread.client().write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        unread.server().close(); // the 3 bytes were never read
        SocketException reset = assertThrows(SocketException.class, () -> unread.client().write(ByteBuffer.allocate(1)));
        assertTrue(reset.getMessage().startsWith("connection reset by peer"), reset.getMessage());

        Pair drained = connect();
        assertEquals(3, drained.client().write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(3, drained.server().read(ByteBuffer.allocate(8)));
        drained.server().close();
        assertEquals(-1, drained.client().read(ByteBuffer.allocate(8)), "an orderly close: end of stream, no reset");
    }

    @Test
    void writesAfterShutdownOutputFailButReadsGoOn() throws IOException {
        Pair p = connect();
        p.client().shutdownOutput();
        SocketException write = assertThrows(SocketException.class, () -> p.client().write(ByteBuffer.allocate(1)));
        assertTrue(write.getMessage().startsWith("output is shut down"), write.getMessage());
        assertThrows(SocketException.class, () -> p.client().writeInPlace(1, space -> 1));
        assertEquals(1, p.server().write(ByteBuffer.wrap(new byte[] {9})));
        assertEquals(1, p.client().read(ByteBuffer.allocate(4)));
        assertEquals(-1, p.server().read(ByteBuffer.allocate(4)), "the peer sees end of stream");
    }

    @Test
    void readingAFullRingTellsTheWriterItHasRoomAgain() throws IOException {
        Pair p = connect();
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        while (p.client().write(chunk.clear()) > 0) {
            // fill the client's send ring
        }
        assertEquals(0, p.client().readyOps() & Readiness.WRITE);
        AtomicInteger writableSignals = new AtomicInteger();
        p.client().addReadinessListener(ops -> {
            if ((ops & Readiness.WRITE) != 0) {
                writableSignals.incrementAndGet();
            }
        });
        assertEquals(0, writableSignals.get());
        assertEquals(1, p.server().readInPlace(received -> 1));
        assertTrue(writableSignals.get() > 0, "the in-place read freed a byte and signalled the writer");
        p.client().write(ByteBuffer.allocate(1)); // full again
        writableSignals.set(0);
        assertTrue(p.server().read(ByteBuffer.allocate(10)) > 0);
        assertTrue(writableSignals.get() > 0, "the read freed bytes and signalled the writer");
    }
}
