package dev.libos.net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.local.LocalNetwork;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannelConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Channel options reach the libos sockets; AUTO_READ, connect in progress and connect timeout. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LibosChannelOptionsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final LocalNetwork network = new LocalNetwork();
    private EventLoopGroup group;

    @AfterEach
    void shutDown() throws Exception {
        if (group != null) {
            assertTrue(group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS));
        }
        assertEquals(java.util.List.of(), RecordingLeakDetector.collectLeaks());
    }

    @Test
    void tcpOptionsAreAppliedToTheSockets() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, LibosIoHandler.newFactory(network));
        CompletableFuture<LibosSocketChannel> accepted = new CompletableFuture<>();
        LibosServerSocketChannel server = (LibosServerSocketChannel) new ServerBootstrap().group(group)
                .channel(LibosServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 7)
                .option(ChannelOption.SO_RCVBUF, 12_345)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(LibosChannelOption.of(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE), 60)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.complete((LibosSocketChannel) ch);
                    }
                })
                .bind(ANY).sync().channel();
        assertEquals(7, server.config().getBacklog());
        assertEquals(12_345, server.socket().getOption(StandardSocketOptions.SO_RCVBUF));

        LibosSocketChannel client = (LibosSocketChannel) new Bootstrap().group(group)
                .channel(LibosSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, false)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.SO_LINGER, 5)
                .option(ChannelOption.SO_SNDBUF, 32_768)
                .option(ChannelOption.SO_RCVBUF, 16_384)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.IP_TOS, 0x10)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        assertEquals(false, client.socket().getOption(StandardSocketOptions.TCP_NODELAY));
        assertEquals(true, client.socket().getOption(StandardSocketOptions.SO_KEEPALIVE));
        assertEquals(5, client.socket().getOption(StandardSocketOptions.SO_LINGER));
        assertEquals(32_768, client.socket().getOption(StandardSocketOptions.SO_SNDBUF));
        assertEquals(16_384, client.socket().getOption(StandardSocketOptions.SO_RCVBUF));
        assertEquals(true, client.socket().getOption(StandardSocketOptions.SO_REUSEADDR));
        SocketChannelConfig config = client.config();
        assertFalse(config.isTcpNoDelay());
        assertEquals(5, config.getOption(ChannelOption.SO_LINGER));
        // IP_TOS is kept by the local network's sockets (in memory there is no IP header).
        assertEquals(0x10, config.getTrafficClass());
        assertEquals(0x10, client.socket().getOption(StandardSocketOptions.IP_TOS));
        assertEquals(9, config.getOption(LibosChannelOption.of(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT)));

        LibosSocketChannel child = accepted.get(20, TimeUnit.SECONDS);
        assertEquals(true, child.socket().getOption(StandardSocketOptions.SO_KEEPALIVE));
        assertEquals(60, child.socket().getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
        io.netty.channel.ChannelException missing = org.junit.jupiter.api.Assertions.assertThrows(
                io.netty.channel.ChannelException.class,
                () -> child.config().setOption(LibosChannelOption.of(StandardSocketOptions.IP_MULTICAST_TTL), 1));
        assertTrue(missing.getMessage().contains("IP_MULTICAST_TTL"), missing.getMessage());
        assertTrue(child.config().isTcpNoDelay(), "TCP_NODELAY defaults to on, as in Netty's NIO transport");
        client.close().sync();
        server.close().sync();
    }

    @Test
    void badValuesNameTheOption() {
        SocketChannelConfig config = new LibosSocketChannel().config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.setReceiveBufferSize(-1));
        assertTrue(e.getMessage().contains("SO_RCVBUF") && e.getMessage().contains("-1"), e.getMessage());
        IllegalArgumentException backlog = assertThrows(IllegalArgumentException.class,
                () -> new LibosServerSocketChannel().config().setBacklog(0));
        assertTrue(backlog.getMessage().contains("SO_BACKLOG"), backlog.getMessage());
    }

    @Test
    void getOptionsListsTheSocketOptionsAndTheChannelKeptOnes() {
        java.util.Map<ChannelOption<?>, Object> client = new LibosSocketChannel().config().getOptions();
        assertEquals(true, client.get(ChannelOption.TCP_NODELAY));
        assertEquals(false, client.get(ChannelOption.SO_KEEPALIVE));
        assertEquals(64 * 1024, client.get(ChannelOption.SO_RCVBUF));
        assertEquals(64 * 1024, client.get(ChannelOption.SO_SNDBUF));
        assertEquals(false, client.get(ChannelOption.SO_REUSEADDR));
        assertEquals(-1, client.get(ChannelOption.SO_LINGER));
        assertEquals(0, client.get(ChannelOption.IP_TOS));
        assertEquals(false, client.get(ChannelOption.ALLOW_HALF_CLOSURE));
        assertEquals(true, client.get(ChannelOption.AUTO_READ));
        assertFalse(client.containsKey(ChannelOption.SO_BACKLOG));

        java.util.Map<ChannelOption<?>, Object> server = new LibosServerSocketChannel().config().getOptions();
        assertEquals(io.netty.util.NetUtil.SOMAXCONN, server.get(ChannelOption.SO_BACKLOG));
        assertEquals(64 * 1024, server.get(ChannelOption.SO_RCVBUF));
        assertEquals(false, server.get(ChannelOption.SO_REUSEADDR));
        assertEquals(true, server.get(ChannelOption.AUTO_READ));
        assertFalse(server.containsKey(ChannelOption.TCP_NODELAY));
        assertFalse(server.containsKey(ChannelOption.ALLOW_HALF_CLOSURE));
    }

    @Test
    void setOptionReachesTheTypedAccessorsBeforeTheSocketExists() {
        SocketChannelConfig config = new LibosSocketChannel().config();
        assertTrue(config.setOption(ChannelOption.SO_SNDBUF, 1234));
        assertTrue(config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true));
        assertTrue(config.setOption(ChannelOption.WRITE_SPIN_COUNT, 3));
        assertEquals(1234, config.getSendBufferSize());
        assertTrue(config.isAllowHalfClosure());
        assertEquals(3, config.getWriteSpinCount());
        assertEquals(1234, config.getOption(ChannelOption.SO_SNDBUF));

        io.netty.channel.socket.ServerSocketChannelConfig server = new LibosServerSocketChannel().config();
        assertTrue(server.setOption(ChannelOption.SO_BACKLOG, 9));
        assertTrue(server.setOption(ChannelOption.SO_REUSEADDR, true));
        assertEquals(9, server.getBacklog());
        assertTrue(server.isReuseAddress());
        assertFalse(server.setOption(ChannelOption.TCP_NODELAY, true), "not an option of a server channel");
    }

    @Test
    void withoutAutoReadNothingIsReadUntilAsked() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, LibosIoHandler.newFactory(network));
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Channel server = new ServerBootstrap().group(group).channel(LibosServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        received.add(buf.toString(java.nio.charset.StandardCharsets.US_ASCII));
                        buf.release();
                    }
                })
                .bind(ANY).sync().channel();
        Channel client = new Bootstrap().group(group).channel(LibosSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        Channel child = accepted.get(20, TimeUnit.SECONDS);
        client.writeAndFlush(Unpooled.copiedBuffer("hi", java.nio.charset.StandardCharsets.US_ASCII)).sync();
        // The bytes wait in the child's socket; two trips through its loop handle any readiness.
        child.eventLoop().submit(() -> { }).sync();
        child.eventLoop().submit(() -> { }).sync();
        assertNull(received.peek(), "read without AUTO_READ or read()");
        child.read();
        assertEquals("hi", received.poll(20, TimeUnit.SECONDS));
        client.close().sync();
        server.close().sync();
    }

    @Test
    void connectInProgressCompletesOnConnectReadiness() throws Exception {
        PendingConnectNetwork pending = new PendingConnectNetwork();
        group = new MultiThreadIoEventLoopGroup(1, LibosIoHandler.newFactory(pending));
        ChannelFuture connect = new Bootstrap().group(group).channel(LibosSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80));
        PendingConnectNetwork.PendingSocket socket = pending.opened.poll(20, TimeUnit.SECONDS);
        assertFalse(connect.isDone());
        socket.establish();
        assertTrue(connect.await(20, TimeUnit.SECONDS));
        assertTrue(connect.isSuccess(), () -> "failed: " + connect.cause());
        assertTrue(connect.channel().isActive());
        connect.channel().close().sync();
    }

    @Test
    void connectTimeoutFailsAndCloses() throws Exception {
        PendingConnectNetwork pending = new PendingConnectNetwork();
        group = new MultiThreadIoEventLoopGroup(1, LibosIoHandler.newFactory(pending));
        ChannelFuture connect = new Bootstrap().group(group).channel(LibosSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 50)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80));
        assertTrue(connect.await(20, TimeUnit.SECONDS));
        assertInstanceOf(ConnectTimeoutException.class, connect.cause());
        assertTrue(connect.channel().closeFuture().await(20, TimeUnit.SECONDS));
        assertFalse(pending.opened.poll().isOpen());
    }
}
