package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.local.LocalNetwork;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stock Netty NIO (event loops from {@code NioIoHandler.newFactory(provider)}, channels made with
 * the provider) serving an echo handler over the provider, with a Netty client writing 1 MiB.
 */
@Timeout(60)
class NettyNioTransportTest {
    private static final int BYTES = 1 << 20;

    @Test
    void stockNettyEchoServerAndClientRunOverTheProvider() throws Exception {
        long seed = Long.getLong("netty.echo.seed", System.nanoTime());
        System.out.println("NettyNioTransportTest seed " + seed + " (rerun with -Dnetty.echo.seed=" + seed + ")");
        byte[] payload = new byte[BYTES];
        new SplittableRandom(seed).nextBytes(payload);
        LibosSelectorProvider provider = new LibosSelectorProvider(new LocalNetwork());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory(provider));
        try {
            Channel server = new ServerBootstrap().group(group)
                    .channelFactory(() -> new NioServerSocketChannel(provider))
                    .childHandler(new EchoHandler())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            assertTrue(((NioServerSocketChannel) server).isActive());

            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Channel client = new Bootstrap().group(group)
                    .channelFactory(() -> new NioSocketChannel(provider))
                    .handler(new CollectingHandler(BYTES, echoed))
                    .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.wrappedBuffer(payload)).sync();
            assertArrayEquals(payload, echoed.get(30, TimeUnit.SECONDS), "seed " + seed);
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /** Netty's classic echo handler. */
    @io.netty.channel.ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Collects {@code expected} bytes, then completes. */
    static final class CollectingHandler extends ChannelInboundHandlerAdapter {
        private final byte[] received;
        private final CompletableFuture<byte[]> done;
        private int count;

        CollectingHandler(int expected, CompletableFuture<byte[]> done) {
            this.received = new byte[expected];
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int n = Math.min(buf.readableBytes(), received.length - count);
                buf.readBytes(received, count, n);
                count += n;
                if (count == received.length) {
                    done.complete(received);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
        }
    }
}
