package dev.libos.net.netty;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;

/**
 * The same suite on Netty's NIO transport over host loopback: the control showing that the suite
 * tests stock Netty behaviour, so the libos transport passing it means it behaves like NIO.
 */
class NioTransportEchoTest extends EchoTransportSuite {
    @Override
    IoHandlerFactory ioHandlerFactory() {
        return NioIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerChannel> serverChannelClass() {
        return NioServerSocketChannel.class;
    }

    @Override
    Class<? extends Channel> channelClass() {
        return NioSocketChannel.class;
    }

    @Override
    SocketAddress unusedAddress() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort()); // closed below: refused
        }
    }
}
