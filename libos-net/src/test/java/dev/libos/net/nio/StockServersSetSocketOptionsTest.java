package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.net.socket.TwoHosts;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What stock servers do to every accepted socket, over the provider on two libos TCP/IP stacks
 * (issue 10: two of four NIO servers failed on each accepted connection, one calling
 * {@code setKeepAlive}/{@code setOOBInline}, Netty's NIO channel reading SO_SNDBUF).
 */
@Timeout(60)
class StockServersSetSocketOptionsTest {
    /** A thread-per-connection server in java.net style that tunes each accepted socket, as Tomcat-like servers do. */
    @Test
    void aServerTuningEveryAcceptedSocketServesItsClient() throws Exception {
        try (TwoHosts hosts = TwoHosts.start(LinkFaults.NONE, 31);
                ServerSocketChannel server = new LibosSelectorProvider(hosts.server()).openServerSocketChannel()) {
            server.bind(new InetSocketAddress(hosts.serverAddress(), 8080));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<String> seen = new AtomicReference<>();
            Thread serverThread = Thread.ofPlatform().start(() -> {
                try (SocketChannel accepted = server.accept()) {
                    Socket socket = accepted.socket();
                    socket.setKeepAlive(true);
                    socket.setOOBInline(true);
                    socket.setTcpNoDelay(true);
                    socket.setSoLinger(true, 5);
                    socket.setTrafficClass(0);
                    seen.set(socket.getKeepAlive() + " " + socket.getOOBInline() + " " + socket.getSoLinger() + " "
                            + (socket.getSendBufferSize() > 0) + " " + (socket.getReceiveBufferSize() > 0));
                    InputStream in = socket.getInputStream();
                    byte[] request = in.readNBytes(6);
                    OutputStream out = socket.getOutputStream();
                    out.write(("echo " + new String(request, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            try (SocketChannel client = new LibosSelectorProvider(hosts.client()).openSocketChannel()) {
                client.connect(new InetSocketAddress(hosts.serverAddress(), 8080));
                client.socket().setKeepAlive(true);
                client.socket().getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = client.socket().getInputStream().readAllBytes(); // until the server's close
                assertEquals("echo hello\n", new String(reply, StandardCharsets.US_ASCII));
            }
            serverThread.join();
            assertNull(failure.get());
            assertEquals("true true 5 true true", seen.get());
        }
    }

    /** Stock Netty NIO ({@code NioIoHandler} over the provider) reads SO_SNDBUF for every accepted channel. */
    @Test
    void nettyNioServerOverTheStackAnswersAClient() throws Exception {
        try (TwoHosts hosts = TwoHosts.start(LinkFaults.NONE, 32)) {
            LibosSelectorProvider serverProvider = new LibosSelectorProvider(hosts.server());
            LibosSelectorProvider clientProvider = new LibosSelectorProvider(hosts.client());
            EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(serverProvider));
            EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(clientProvider));
            AtomicReference<String> childOptions = new AtomicReference<>();
            try {
                Channel server = new ServerBootstrap().group(serverGroup)
                        .channelFactory(() -> new NioServerSocketChannel(serverProvider))
                        .childOption(ChannelOption.SO_KEEPALIVE, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                var config = ((io.netty.channel.socket.SocketChannel) ctx.channel()).config();
                                childOptions.set(config.isKeepAlive() + " " + config.isTcpNoDelay() + " "
                                        + config.getSendBufferSize());
                                ctx.fireChannelActive();
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ((ByteBuf) msg).release();
                                ctx.writeAndFlush(Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII))
                                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                            }
                        })
                        .bind(new InetSocketAddress(hosts.serverAddress(), 8081)).sync().channel();
                CompletableFuture<String> answer = new CompletableFuture<>();
                Channel client = new Bootstrap().group(clientGroup)
                        .channelFactory(() -> new NioSocketChannel(clientProvider))
                        .handler(new ChannelInboundHandlerAdapter() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                text.append(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                                ((ByteBuf) msg).release();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                answer.complete(text.toString()); // the server closed after answering
                            }
                        })
                        .connect(server.localAddress()).sync().channel();
                client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII)).sync();
                assertEquals("pong", answer.get(30, TimeUnit.SECONDS));
                String[] options = childOptions.get().split(" ");
                assertEquals("true", options[0]);
                assertEquals("true", options[1]);
                assertTrue(Integer.parseInt(options[2]) >= 4096, childOptions.get());
                server.close().sync();
            } finally {
                serverGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
                clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
    }
}
