package dev.libos.bench.net;

import example.kv.KvServer;
import example.kv.RespLimits;
import dev.libos.net.nio.LibosSelectorProvider;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.TimeUnit;

/**
 * examples/kv's server ({@link KvServer}: its pipeline and store, unchanged) on one Netty event
 * loop of the transport the benchmark names: for libos, Netty's NIO transport over a
 * {@link LibosSelectorProvider} of the server host's libos stack (the classes a hosted libos
 * application runs on, without making them the JVM's default provider); for the baseline,
 * Netty's native epoll transport on Linux's loopback.
 */
final class RespServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private RespServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** The server on the libos stack of {@code hosts}' server host. */
    static RespServer onLibos(LibosHosts hosts) throws Exception {
        SelectorProvider provider = new LibosSelectorProvider(hosts.serverNetwork());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                NioIoHandler.newFactory(provider, DefaultSelectStrategyFactory.INSTANCE));
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channelFactory(() -> new NioServerSocketChannel(provider));
        return start(group, bootstrap, hosts.serverAddress().getHostAddress());
    }

    /** The server on Netty's epoll transport, on 127.0.0.1. */
    static RespServer onLinuxEpoll(NetSide loopback) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class);
        return start(group, bootstrap, loopback.serverAddress().getHostAddress());
    }

    private static RespServer start(EventLoopGroup group, ServerBootstrap bootstrap, String address) throws Exception {
        try {
            KvServer kv = new KvServer(RespLimits.DEFAULTS, KvServer::monotonicMillis);
            Channel channel = bootstrap.childHandler(kv.childHandler()).bind(address, 0).sync().channel();
            kv.startExpiryCycle(group);
            return new RespServer(group, channel);
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        try {
            channel.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
