package dev.libos.net.netty;

import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.SocketEndpoint;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * A Netty {@link ServerSocketChannel} over a libos {@link TcpServerSocket}, the counterpart of
 * {@code NioServerSocketChannel}: bind with SO_BACKLOG, and an accept loop that turns each
 * connection into a {@link LibosSocketChannel} child.
 *
 * <p>A channel made with the no-argument constructor (as {@code ServerBootstrap.channel(...)}
 * does) opens its socket from the {@link LibosIoHandler}'s network when it registers.
 */
public class LibosServerSocketChannel extends AbstractLibosChannel implements ServerSocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(LibosServerSocketChannel.class);

    private final LibosServerSocketChannelConfig config;

    /** A channel that opens its socket when it registers with a {@link LibosIoHandler}'s loop. */
    public LibosServerSocketChannel() {
        this(null);
    }

    /** A channel over {@code socket} (bound or not). */
    @SuppressWarnings("this-escape") // the config keeps the channel, as Netty's configs do
    public LibosServerSocketChannel(TcpServerSocket socket) {
        super(null, socket, Readiness.ACCEPT);
        config = new LibosServerSocketChannelConfig(this);
        attachConfig(config);
    }

    /** The socket, or null before registration of a channel made without one. */
    protected TcpServerSocket socket() {
        return (TcpServerSocket) endpointOrNull();
    }

    @Override
    SocketEndpoint openEndpoint(Network network) throws IOException {
        return network.openTcpServer();
    }

    @Override
    public ServerSocketChannelConfig config() {
        return config;
    }

    @Override
    public boolean isActive() {
        TcpServerSocket s = socket();
        return s != null && s.isOpen() && s.localAddress() != null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        if (!(localAddress instanceof InetSocketAddress inet)) {
            throw new UnsupportedAddressTypeException();
        }
        socket().bind(inet, config.getBacklog());
    }

    @Override
    protected void doDisconnect() {
        throw new UnsupportedOperationException("disconnect on a server channel");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        throw new UnsupportedOperationException("write on a server channel");
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        throw new UnsupportedOperationException("write on a server channel");
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new LibosServerUnsafe();
    }

    /** The accept loop. */
    private final class LibosServerUnsafe extends LibosUnsafe {
        @Override
        @SuppressWarnings("deprecation") // RecvByteBufAllocator.Handle: what Netty 4.2's channels use
        void read() {
            ChannelPipeline pipeline = pipeline();
            RecvByteBufAllocator.Handle allocHandle = recvBufAllocHandle();
            allocHandle.reset(config);
            Throwable failure = null;
            try {
                do {
                    TcpSocket accepted = socket().accept();
                    if (accepted == null) {
                        break;
                    }
                    allocHandle.incMessagesRead(1);
                    readPending = false;
                    pipeline.fireChannelRead(new LibosSocketChannel(LibosServerSocketChannel.this, accepted));
                } while (allocHandle.continueReading());
            } catch (Throwable t) {
                failure = t;
            }
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
            if (failure != null) {
                logger.debug("accept failed on {}", LibosServerSocketChannel.this, failure);
                pipeline.fireExceptionCaught(failure);
                if (!isOpen() || !(failure instanceof IOException)) {
                    close(voidPromise());
                }
            }
            if (!readPending && !config.isAutoRead()) {
                clearReadPending();
            }
        }
    }
}
