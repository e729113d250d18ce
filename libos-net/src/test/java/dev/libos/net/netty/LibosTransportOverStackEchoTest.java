package dev.libos.net.netty;

import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.net.socket.TwoHosts;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The stock-Netty echo suite on the libos transport over two libos TCP/IP stacks on an in-memory
 * link: servers on one host, clients on the other.
 */
class LibosTransportOverStackEchoTest extends EchoTransportSuite {
    private static TwoHosts hosts;

    @BeforeAll
    static void startHosts() {
        hosts = TwoHosts.start(LinkFaults.NONE.withDelay(20_000, 0), 99);
    }

    /** After the suite's own per-test checks have shut the event loops down. */
    @AfterAll
    static void stopHosts() {
        hosts.close();
    }

    @Override
    IoHandlerFactory ioHandlerFactory() {
        return LibosIoHandler.newFactory(hosts.server());
    }

    @Override
    IoHandlerFactory clientIoHandlerFactory() {
        return LibosIoHandler.newFactory(hosts.client());
    }

    @Override
    SocketAddress serverBindAddress() {
        return new InetSocketAddress(hosts.serverAddress(), 0);
    }

    @Override
    Class<? extends ServerChannel> serverChannelClass() {
        return LibosServerSocketChannel.class;
    }

    @Override
    Class<? extends Channel> channelClass() {
        return LibosSocketChannel.class;
    }

    @Override
    SocketAddress unusedAddress() {
        return new InetSocketAddress(hosts.serverAddress(), 1); // nobody listens on port 1: RST
    }
}
