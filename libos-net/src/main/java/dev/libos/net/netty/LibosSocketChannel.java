package dev.libos.net.netty;

import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.SocketEndpoint;
import dev.libos.api.net.TcpSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.concurrent.TimeUnit;

/**
 * A Netty {@link SocketChannel} over a libos {@link TcpSocket}, the counterpart of
 * {@code NioSocketChannel}: connect (with CONNECT_TIMEOUT_MILLIS), the read loop driven by the
 * channel's {@link RecvByteBufAllocator}, writes that wait for {@link Readiness#WRITE} when the
 * socket's send buffer is full, half-close, close.
 *
 * <p>A channel made with the no-argument constructor (as {@code Bootstrap.channel(...)} does)
 * opens its socket from the {@link LibosIoHandler}'s network when it registers.
 * Messages must be {@link ByteBuf}s (no {@code FileRegion}).
 */
public class LibosSocketChannel extends AbstractLibosChannel implements SocketChannel {
    /** Bytes gathered from the outbound buffer per write round. */
    private static final int MAX_BYTES_PER_WRITE_ROUND = 1024 * 1024;

    private final LibosSocketChannelConfig config;
    private final Runnable flushTask = () -> ((LibosSocketUnsafe) unsafe()).flush0();
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    /** End of input was seen again after the input was shut down (half-closure). */
    private boolean inputClosedSeenOnRead;
    private ChannelPromise connectPromise;
    private Future<?> connectTimeoutFuture;
    private SocketAddress requestedRemoteAddress;

    /** A channel that opens its socket when it registers with a {@link LibosIoHandler}'s loop. */
    public LibosSocketChannel() {
        this(null, null);
    }

    /** A channel over {@code socket} (connected or not). */
    public LibosSocketChannel(TcpSocket socket) {
        this(null, socket);
    }

    /** A channel over an accepted {@code socket} of {@code parent}. */
    @SuppressWarnings("this-escape") // the config keeps the channel, as Netty's configs do
    public LibosSocketChannel(Channel parent, TcpSocket socket) {
        super(parent, socket, Readiness.READ);
        config = new LibosSocketChannelConfig(this, this::clearReadPending);
        attachConfig(config);
    }

    /** The socket, or null before registration of a channel made without one. */
    protected TcpSocket socket() {
        return (TcpSocket) endpointOrNull();
    }

    @Override
    SocketEndpoint openEndpoint(Network network) throws IOException {
        return network.openTcp();
    }

    @Override
    public ServerSocketChannel parent() {
        return (ServerSocketChannel) super.parent();
    }

    @Override
    public SocketChannelConfig config() {
        return config;
    }

    @Override
    public boolean isActive() {
        TcpSocket s = socket();
        return s != null && s.isOpen() && s.isConnected();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || !isActive();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || !isActive();
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown || !isActive();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        TcpSocket s = socket();
        return s == null ? null : s.remoteAddress();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        runOnLoop(() -> ((LibosSocketUnsafe) unsafe()).shutdownOutput(promise));
        return promise;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        runOnLoop(() -> {
            try {
                shutdownInputNow();
                promise.setSuccess();
            } catch (Throwable t) {
                promise.setFailure(t);
            }
        });
        return promise;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    /** Shuts down output, then input; fails with the first failure. */
    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        shutdownOutput().addListener(output -> shutdownInput().addListener(input -> {
            Throwable cause = output.cause() != null ? output.cause() : input.cause();
            if (cause == null) {
                promise.setSuccess();
            } else {
                promise.setFailure(cause);
            }
        }));
        return promise;
    }

    private void runOnLoop(Runnable task) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void shutdownInputNow() throws IOException {
        TcpSocket s = socket();
        if (s == null) {
            throw new ClosedChannelException();
        }
        s.shutdownInput();
        inputShutdown = true;
    }

    @Override
    protected void doShutdownOutput() throws Exception {
        socket().shutdownOutput();
        outputShutdown = true;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        socket().bind(inet(localAddress));
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() throws Exception {
        ChannelPromise promise = connectPromise;
        if (promise != null) {
            promise.tryFailure(new ClosedChannelException());
            connectPromise = null;
        }
        Future<?> timeout = connectTimeoutFuture;
        if (timeout != null) {
            timeout.cancel(false);
            connectTimeoutFuture = null;
        }
        super.doClose();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getName()
                + " (expected: ByteBuf)");
    }

    /**
     * Writes what is flushed until the socket takes no more (then waits for WRITE) or the write
     * spin count is used up (then flushes again from a task, letting other tasks run).
     */
    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        TcpSocket s = socket();
        int spins = config.getWriteSpinCount();
        while (spins-- > 0) {
            if (in.isEmpty()) {
                removeInterest(Readiness.WRITE);
                return;
            }
            ByteBuffer[] buffers = in.nioBuffers(1024, MAX_BYTES_PER_WRITE_ROUND);
            int count = in.nioBufferCount();
            if (count == 0) {
                in.remove(); // an empty buffer: nioBuffers() leaves those out
                continue;
            }
            long written = 0;
            boolean socketFull = false;
            for (int i = 0; i < count && !socketFull; i++) {
                ByteBuffer buffer = buffers[i];
                while (buffer.hasRemaining()) {
                    int n = s.write(buffer);
                    if (n == 0) {
                        socketFull = true;
                        break;
                    }
                    written += n;
                }
            }
            in.removeBytes(written);
            if (socketFull) {
                // Level-triggered readiness: WRITE is raised once the send buffer has room.
                addInterest(Readiness.WRITE);
                return;
            }
        }
        if (in.isEmpty()) {
            removeInterest(Readiness.WRITE);
        } else {
            removeInterest(Readiness.WRITE);
            eventLoop().execute(flushTask);
        }
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new LibosSocketUnsafe();
    }

    private static InetSocketAddress inet(SocketAddress address) {
        if (address == null || address instanceof InetSocketAddress) {
            return (InetSocketAddress) address;
        }
        throw new UnsupportedAddressTypeException();
    }

    private boolean shouldBreakReadReady() {
        return inputShutdown && (inputClosedSeenOnRead || !config.isAllowHalfClosure());
    }

    /** Connect, finish-connect and the read loop. */
    @SuppressWarnings("deprecation") // RecvByteBufAllocator.Handle: what Netty 4.2's channels use
    private final class LibosSocketUnsafe extends LibosUnsafe {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (promise.isDone() || !ensureOpen(promise)) {
                return;
            }
            try {
                if (connectPromise != null) {
                    throw new ConnectionPendingException();
                }
                boolean wasActive = isActive();
                if (startConnect(inet(remoteAddress), inet(localAddress))) {
                    fulfillConnect(promise, wasActive);
                    return;
                }
                connectPromise = promise;
                requestedRemoteAddress = remoteAddress;
                int timeoutMillis = config.getConnectTimeoutMillis();
                if (timeoutMillis > 0) {
                    connectTimeoutFuture = eventLoop().schedule(() -> {
                        ChannelPromise pending = connectPromise;
                        if (pending != null && pending.tryFailure(new ConnectTimeoutException(
                                "connection timed out after " + timeoutMillis + " ms: " + remoteAddress))) {
                            close(voidPromise());
                        }
                    }, timeoutMillis, TimeUnit.MILLISECONDS);
                }
                promise.addListener(f -> {
                    if (f.isCancelled()) {
                        if (connectTimeoutFuture != null) {
                            connectTimeoutFuture.cancel(false);
                        }
                        connectPromise = null;
                        close(voidPromise());
                    }
                });
            } catch (Throwable t) {
                promise.tryFailure(annotateConnectException(t, remoteAddress));
                closeIfClosed();
            }
        }

        /** @return true if connected at once, false if CONNECT readiness will tell */
        private boolean startConnect(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            TcpSocket s = socket();
            boolean success = false;
            try {
                if (local != null) {
                    s.bind(local);
                }
                s.connect(remote);
                boolean connected = s.finishConnect();
                if (!connected) {
                    addInterest(Readiness.CONNECT);
                }
                success = true;
                return connected;
            } finally {
                if (!success) {
                    s.close(); // a failed attempt leaves nothing behind; closeIfClosed() closes the channel
                }
            }
        }

        @Override
        void finishConnect() {
            ChannelPromise promise = connectPromise;
            if (promise == null) {
                return; // cancelled or timed out: the channel is closing
            }
            boolean done = true;
            try {
                boolean wasActive = isActive();
                if (socket().finishConnect()) {
                    fulfillConnect(promise, wasActive);
                } else {
                    done = false; // a spurious CONNECT: keep waiting
                    addInterest(Readiness.CONNECT);
                }
            } catch (Throwable t) {
                // Close the socket before failing the promise, as a JDK channel whose connect
                // failed already is: a listener of the promise must find the channel closed.
                try {
                    socket().close();
                } catch (java.io.IOException ignored) {
                    // closing a socket whose connect failed has nothing left to fail on
                }
                promise.tryFailure(annotateConnectException(t, requestedRemoteAddress));
                closeIfClosed();
                if (isOpen()) {
                    close(voidPromise());
                }
            } finally {
                if (done) {
                    if (connectTimeoutFuture != null) {
                        connectTimeoutFuture.cancel(false);
                    }
                    connectPromise = null;
                }
            }
        }

        private void fulfillConnect(ChannelPromise promise, boolean wasActive) {
            boolean active = isActive(); // read first: trySuccess may run a listener that closes
            boolean promiseSet = promise.trySuccess();
            if (!wasActive && active) {
                pipeline().fireChannelActive();
            }
            if (!promiseSet) {
                close(voidPromise()); // the user cancelled the attempt
            }
        }

        @Override
        void read() {
            if (shouldBreakReadReady()) {
                clearReadPending();
                return;
            }
            ChannelPipeline pipeline = pipeline();
            ByteBufAllocator allocator = config.getAllocator();
            RecvByteBufAllocator.Handle allocHandle = recvBufAllocHandle();
            allocHandle.reset(config);
            ByteBuf buf = null;
            boolean endOfInput = false;
            try {
                do {
                    buf = allocHandle.allocate(allocator);
                    allocHandle.lastBytesRead(readInto(buf, allocHandle));
                    if (allocHandle.lastBytesRead() <= 0) {
                        buf.release();
                        buf = null;
                        endOfInput = allocHandle.lastBytesRead() < 0;
                        if (endOfInput) {
                            readPending = false;
                        }
                        break;
                    }
                    allocHandle.incMessagesRead(1);
                    readPending = false;
                    pipeline.fireChannelRead(buf);
                    buf = null;
                } while (allocHandle.continueReading());
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
                if (endOfInput) {
                    onEndOfInput(pipeline);
                }
            } catch (Throwable t) {
                onReadFailure(pipeline, buf, t, endOfInput, allocHandle);
            } finally {
                // A read asked for from channelRead/channelReadComplete keeps the interest.
                if (!readPending && !config.isAutoRead()) {
                    clearReadPending();
                }
            }
        }

        private int readInto(ByteBuf buf, RecvByteBufAllocator.Handle allocHandle) throws IOException {
            int writable = buf.writableBytes();
            allocHandle.attemptedBytesRead(writable);
            int n;
            if (buf.nioBufferCount() == 1) {
                n = socket().read(buf.internalNioBuffer(buf.writerIndex(), writable));
                if (n > 0) {
                    buf.writerIndex(buf.writerIndex() + n);
                }
            } else {
                byte[] bytes = new byte[writable];
                n = socket().read(ByteBuffer.wrap(bytes));
                if (n > 0) {
                    buf.writeBytes(bytes, 0, n);
                }
            }
            return n;
        }

        /** The peer finished sending: half-close if allowed, else close. */
        private void onEndOfInput(ChannelPipeline pipeline) {
            if (!inputShutdown) {
                if (config.isAllowHalfClosure()) {
                    try {
                        shutdownInputNow();
                    } catch (IOException e) {
                        close(voidPromise());
                        return;
                    }
                    pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                } else {
                    close(voidPromise());
                }
            } else if (!inputClosedSeenOnRead) {
                inputClosedSeenOnRead = true;
                pipeline.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
            }
        }

        private void onReadFailure(ChannelPipeline pipeline, ByteBuf buf, Throwable cause, boolean endOfInput,
                RecvByteBufAllocator.Handle allocHandle) {
            if (buf != null) {
                if (buf.isReadable()) {
                    readPending = false;
                    pipeline.fireChannelRead(buf);
                } else {
                    buf.release();
                }
            }
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
            pipeline.fireExceptionCaught(cause);
            if (endOfInput || cause instanceof IOException || cause instanceof OutOfMemoryError) {
                onEndOfInput(pipeline);
            }
        }
    }
}
