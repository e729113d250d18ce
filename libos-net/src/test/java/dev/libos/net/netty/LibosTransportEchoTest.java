package dev.libos.net.netty;

import dev.libos.net.local.LocalNetwork;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The stock-Netty echo suite on the libos transport over a {@link LocalNetwork}. */
class LibosTransportEchoTest extends EchoTransportSuite {
    private final LocalNetwork network = new LocalNetwork();

    @Override
    IoHandlerFactory ioHandlerFactory() {
        return LibosIoHandler.newFactory(network);
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
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 1); // a fresh LocalNetwork: nobody listens
    }
}
