package example.httpnetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.libos.api.net.TcpSocket;
import dev.libos.jvm.net.testing.PeerHttp;
import dev.libos.jvm.net.testing.TestLan;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unmodified Netty server on NioIoHandler on the system host: it starts on libos channels
 * (the peer reaches its port) and Netty logs no warning or error on the way (its NetUtil reads
 * java.net.NetworkInterface at start-up); it serves the peer once libos sockets answer SO_SNDBUF,
 * which Netty's NIO channel reads for every accepted connection.
 */
@Timeout(60)
class HttpNettyTest {
    private static final int PORT = 8082;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getLoggerName() + ": " + record.getMessage() + " " + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private TestLan lan;
    private Thread main;

    @BeforeEach
    void startTheServer() throws Exception {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        Logger.getLogger("").addHandler(capture);
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("HttpNettyTest seed " + seed);
        System.setProperty("port", Integer.toString(PORT));
        lan = TestLan.start(seed);
        main = lan.runMain(HttpNetty::main);
        lan.awaitBound(PORT); // no connection yet: until libos sockets answer SO_SNDBUF, Netty cannot accept one
    }

    @AfterEach
    void stopTheServer() throws Exception {
        main.interrupt(); // closeFuture().sync() ends, main shuts the event loops down
        main.join();
        lan.close();
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void theServerListensOnLibosAndNettyWarnsOfNothing() {
        assertEquals(List.of(), warnings, "Netty logged warnings or errors at start-up");
    }

    @Test
    void helloIsServedToThePeer() throws Exception {
        assumeTrue(libosSocketsAnswerSoSndbuf(), "libos sockets do not answer SO_SNDBUF yet (the socket options work)");
        lan.awaitListening(PORT);
        InetSocketAddress server = new InetSocketAddress(TestLan.address(TestLan.SYSTEM_ADDRESS), PORT);
        for (int i = 0; i < 3; i++) {
            PeerHttp.Response hello = PeerHttp.get(lan.peer(), server, "app", "/" + i);
            assertEquals(200, hello.status());
            assertEquals("hello from netty\n", hello.body());
        }
        assertEquals(List.of(), warnings, "Netty logged warnings or errors");
    }

    private boolean libosSocketsAnswerSoSndbuf() throws Exception {
        try (TcpSocket socket = lan.system().openTcp()) {
            socket.getOption(StandardSocketOptions.SO_SNDBUF);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
