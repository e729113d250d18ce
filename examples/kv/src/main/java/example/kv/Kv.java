package example.kv;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * A key-value server speaking RESP2 (the Redis protocol) on stock Netty 4.2's NIO transport
 * ({@code NioIoHandler}): redis-cli and redis-benchmark work against it. Nothing here knows libos:
 * run as a libos application, its channels are libos's. The port is {@code -Dport=N} (default
 * 6379); the request limits are {@link RespLimits#fromSystemProperties()}.
 */
public final class Kv {
    private Kv() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.getInteger("port", 6379);
        KvServer kv = new KvServer(RespLimits.fromSystemProperties(), KvServer::monotonicMillis);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(kv.childHandler())
                    .bind(port).sync().channel();
            kv.startExpiryCycle(group);
            System.out.println("kv: listening on " + server.localAddress());
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
