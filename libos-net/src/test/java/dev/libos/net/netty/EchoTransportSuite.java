package dev.libos.net.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An echo server and client written against stock Netty (bootstraps, codecs and handlers from
 * netty-handler/codec), run on one transport: a subclass names the {@code IoHandlerFactory} and
 * the channel classes, nothing else. Every test ends with a graceful shutdown of both event loop
 * groups, checks that their threads ended, and checks that no ByteBuf leaked (PARANOID detection).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class EchoTransportSuite {
    private static final long WAIT_SECONDS = 30;

    private RecordingThreadFactory threads;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    /** Clients' loops: on the client host's network when the transport has two hosts. */
    private EventLoopGroup clientGroup;

    /** The transport's I/O handlers. */
    abstract IoHandlerFactory ioHandlerFactory();

    /** The clients' handler factory; the same as the server's unless the test has two hosts. */
    IoHandlerFactory clientIoHandlerFactory() {
        return ioHandlerFactory();
    }

    /** Where servers bind. */
    SocketAddress serverBindAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    abstract Class<? extends ServerChannel> serverChannelClass();

    abstract Class<? extends Channel> channelClass();

    /** An address where nothing listens. */
    abstract SocketAddress unusedAddress() throws Exception;

    @BeforeEach
    void startGroups() {
        threads = new RecordingThreadFactory(getClass().getSimpleName());
        bossGroup = new MultiThreadIoEventLoopGroup(1, threads, ioHandlerFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(2, threads, ioHandlerFactory());
        clientGroup = new MultiThreadIoEventLoopGroup(2, threads, clientIoHandlerFactory());
    }

    @AfterEach
    void shutDownGracefullyWithoutLeaks() throws Exception {
        assertTrue(bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(bossGroup.isTerminated() && workerGroup.isTerminated() && clientGroup.isTerminated());
        assertFalse(threads.threads().isEmpty());
        for (Thread t : threads.threads()) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(t.isAlive(), "event loop thread still alive: " + t);
        }
        assertTrue(RecordingLeakDetector.installed(), "surefire must install the recording leak detector");
        assertEquals(List.of(), RecordingLeakDetector.collectLeaks());
    }


    /** Starts a server whose children run {@code childInit}. */
    private Channel startServer(ChannelInitializer<Channel> childInit, boolean allowHalfClosure) throws Exception {
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, allowHalfClosure)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childInit)
                .bind(serverBindAddress()).sync().channel();
    }

    private Bootstrap client(ChannelInitializer<Channel> init) {
        return new Bootstrap().group(clientGroup).channel(channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(init);
    }

    /** Line echo: LineBasedFrameDecoder + String codecs, each line written back. */
    private static ChannelInitializer<Channel> lineEchoServer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(1024), new StringDecoder(StandardCharsets.UTF_8),
                        new StringEncoder(StandardCharsets.UTF_8), new SimpleChannelInboundHandler<String>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                ctx.writeAndFlush(line + "\n");
                            }
                        });
            }
        };
    }

    private static ChannelInitializer<Channel> lineClient(BlockingQueue<String> received) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(1024), new StringDecoder(StandardCharsets.UTF_8),
                        new StringEncoder(StandardCharsets.UTF_8), new SimpleChannelInboundHandler<String>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                received.add(line);
                            }
                        });
            }
        };
    }

    @Test
    void echoesLines() throws Exception {
        Channel server = startServer(lineEchoServer(), false);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Channel client = client(lineClient(received)).connect(server.localAddress()).sync().channel();
        assertTrue(client.isActive());
        assertEquals(server.localAddress(), client.remoteAddress());
        for (int i = 0; i < 100; i++) {
            client.writeAndFlush("line " + i + "\n");
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("line " + i, received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        client.close().sync();
        server.close().sync();
    }

    @Test
    void halfCloseLetsTheServerFinishAfterInputShutdown() throws Exception {
        AtomicBoolean serverSawInputShutdown = new AtomicBoolean();
        Channel server = startServer(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    private long bytes;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        bytes += ((ByteBuf) msg).readableBytes();
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt == ChannelInputShutdownEvent.INSTANCE) {
                            serverSawInputShutdown.set(true);
                            // The client has finished sending; the server answers, then closes.
                            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(
                                    ("received " + bytes + "\n").getBytes(StandardCharsets.US_ASCII)))
                                    .addListener(f -> ctx.close());
                        }
                        ReferenceCountUtil.release(evt);
                    }
                });
            }
        }, true);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        Channel client = client(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        byte[] bytes = new byte[buf.readableBytes()];
                        buf.readBytes(bytes);
                        buf.release();
                        synchronized (reply) {
                            reply.writeBytes(bytes);
                        }
                    }
                });
            }
        }).connect(server.localAddress()).sync().channel();
        int sent = 100_000;
        client.writeAndFlush(client.alloc().buffer(sent).writeZero(sent)).sync();
        ((SocketChannel) client).shutdownOutput().sync();
        assertTrue(((SocketChannel) client).isOutputShutdown());
        assertTrue(client.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS), "the server closes after answering");
        assertTrue(serverSawInputShutdown.get());
        synchronized (reply) {
            assertEquals("received " + sent + "\n", reply.toString(StandardCharsets.US_ASCII));
        }
        server.close().sync();
    }

    /** Echoes bytes, pausing reads while its own output is not writable (back-pressure). */
    private static final class BackPressuredEcho extends ChannelInboundHandlerAdapter {
        final MessageDigest received = sha256();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.update(((ByteBuf) msg).nioBuffer());
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /** Sends {@code total} seeded random bytes as fast as writability allows; digests what comes back. */
    private static final class StreamingClient extends ChannelInboundHandlerAdapter {
        private static final int CHUNK_BYTES = 64 * 1024;
        final MessageDigest sent = sha256();
        final MessageDigest received = sha256();
        final CompletableFuture<Void> allEchoed = new CompletableFuture<>();
        final AtomicInteger timesUnwritable = new AtomicInteger();
        private final Random random;
        private final long total;
        private long sentBytes;
        private long receivedBytes;

        StreamingClient(long seed, long total) {
            this.random = new Random(seed);
            this.total = total;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendMore(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                sendMore(ctx);
            } else {
                timesUnwritable.incrementAndGet();
            }
        }

        private void sendMore(ChannelHandlerContext ctx) {
            byte[] chunk = new byte[CHUNK_BYTES];
            while (sentBytes < total && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK_BYTES, total - sentBytes);
                random.nextBytes(chunk);
                sent.update(chunk, 0, n);
                ctx.write(ctx.alloc().buffer(n).writeBytes(chunk, 0, n));
                sentBytes += n;
            }
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            receivedBytes += buf.readableBytes();
            received.update(buf.nioBuffer());
            buf.release();
            if (receivedBytes == total) {
                allEchoed.complete(null);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            allEchoed.completeExceptionally(cause);
        }
    }

    @Test
    void largeWriteWithBackPressureArrivesIntact() throws Exception {
        // Same property as the other randomised tests of the module.
        String property = System.getProperty("libos.net.test.seed");
        long seed = property != null ? Long.parseLong(property) : System.nanoTime() ^ 0x9E3779B97F4A7C15L;
        System.out.println("largeWrite: seed " + seed + " (re-run with -Dlibos.net.test.seed=" + seed + ")");
        long total = 16L * 1024 * 1024;
        WriteBufferWaterMark waterMark = new WriteBufferWaterMark(32 * 1024, 128 * 1024);
        List<BackPressuredEcho> echoes = new ArrayList<>();
        Channel server = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(serverChannelClass())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        BackPressuredEcho echo = new BackPressuredEcho();
                        synchronized (echoes) {
                            echoes.add(echo);
                        }
                        ch.pipeline().addLast(echo);
                    }
                })
                .bind(serverBindAddress()).sync().channel();
        StreamingClient streaming = new StreamingClient(seed, total);
        Channel client = new Bootstrap().group(clientGroup).channel(channelClass())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .handler(streaming)
                .connect(server.localAddress()).sync().channel();
        streaming.allEchoed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        client.close().sync();
        server.close().sync();
        byte[] sentDigest = streaming.sent.digest();
        assertArrayEquals(sentDigest, streaming.received.digest(), "seed " + seed);
        synchronized (echoes) {
            assertEquals(1, echoes.size());
            assertArrayEquals(sentDigest, echoes.get(0).received.digest(), "seed " + seed);
        }
        assertTrue(streaming.timesUnwritable.get() > 0, "back-pressure never engaged");
    }

    @Test
    void manyConcurrentConnectionsEcho() throws Exception {
        int connections = 128;
        Channel server = startServer(lineEchoServer(), false);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Bootstrap bootstrap = client(lineClient(received));
        List<ChannelFuture> connects = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            connects.add(bootstrap.connect(server.localAddress())); // all in flight together
        }
        List<Channel> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Channel ch = connects.get(i).sync().channel();
            clients.add(ch);
            ch.writeAndFlush("hello from " + i + "\n");
        }
        Set<String> lines = new HashSet<>();
        for (int i = 0; i < connections; i++) {
            String line = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(line != null && lines.add(line), "missing or repeated echo: " + line);
        }
        for (int i = 0; i < connections; i++) {
            assertTrue(lines.contains("hello from " + i));
        }
        for (Channel ch : clients) {
            ch.close().sync();
        }
        server.close().sync();
    }

    @Test
    void connectRefusedIsAConnectException() throws Exception {
        ChannelFuture connect = client(lineClient(new LinkedBlockingQueue<>())).connect(unusedAddress());
        assertTrue(connect.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(connect.isSuccess());
        assertInstanceOf(ConnectException.class, connect.cause());
        assertFalse(connect.channel().isOpen());
    }

    @Test
    void shutdownClosesOpenConnections() throws Exception {
        Channel server = startServer(lineEchoServer(), false);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Channel client = client(lineClient(received)).connect(server.localAddress()).sync().channel();
        client.writeAndFlush("ping\n");
        assertEquals("ping", received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        // Shut down with the connection and the listener open: the loops close their channels.
        assertTrue(clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(client.isOpen());
        assertFalse(server.isOpen());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
