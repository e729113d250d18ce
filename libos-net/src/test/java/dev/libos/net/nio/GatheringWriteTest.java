package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.socket.TwoHosts;
import dev.libos.net.tcp.TcpCounter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gathering write of a small header and body leaves as one segment, as Linux's writev does:
 * Jetty writes its responses so, and with TCP_NODELAY one segment per buffer doubled the
 * segments of every response (issue 10).
 */
@Timeout(60)
class GatheringWriteTest {
    private static long segmentsSent(StackNetwork network) {
        return network.withStack(() -> network.tcp().connectionCounters().get(TcpCounter.SEGMENTS_SENT));
    }

    @Test
    void aGatheringWriteOfHeaderAndBodyIsOneSegment() throws Exception {
        try (TwoHosts hosts = TwoHosts.start(LinkFaults.NONE, 51);
                ServerSocketChannel server = new LibosSelectorProvider(hosts.server()).openServerSocketChannel();
                SocketChannel client = new LibosSelectorProvider(hosts.client()).openSocketChannel()) {
            server.bind(new InetSocketAddress(hosts.serverAddress(), 8082));
            client.connect(new InetSocketAddress(hosts.serverAddress(), 8082));
            try (SocketChannel accepted = server.accept()) {
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                byte[] header = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                byte[] body = "hello\n".getBytes(StandardCharsets.US_ASCII);
                long before = segmentsSent(hosts.server());
                long written = accepted.write(new ByteBuffer[] {ByteBuffer.wrap(header), ByteBuffer.wrap(body)});
                assertEquals(header.length + body.length, written);
                ByteBuffer got = ByteBuffer.allocate(header.length + body.length);
                while (got.hasRemaining()) {
                    client.read(got);
                }
                assertEquals(new String(header, StandardCharsets.US_ASCII) + "hello\n",
                        new String(got.array(), StandardCharsets.US_ASCII));
                assertEquals(1, segmentsSent(hosts.server()) - before, "header and body in one segment");
            }
        }
    }
}
