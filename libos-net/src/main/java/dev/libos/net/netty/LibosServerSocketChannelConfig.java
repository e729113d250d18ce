package dev.libos.net.netty;

import static io.netty.channel.ChannelOption.SO_BACKLOG;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;

import dev.libos.api.net.SocketEndpoint;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.util.NetUtil;
import java.net.StandardSocketOptions;
import java.util.Map;

/**
 * The configuration of a {@link LibosServerSocketChannel}: SO_BACKLOG (used at bind), SO_RCVBUF
 * and SO_REUSEADDR mapped to the listening socket, and Netty's channel options.
 */
final class LibosServerSocketChannelConfig extends DefaultChannelConfig implements ServerSocketChannelConfig {
    private static final int DEFAULT_BUFFER_BYTES = 64 * 1024;

    private final SocketOptionStore socketOptions = new SocketOptionStore();
    private volatile int backlog = NetUtil.SOMAXCONN;

    LibosServerSocketChannelConfig(LibosServerSocketChannel channel) {
        super(channel, new ServerChannelRecvByteBufAllocator()); // counts accepts, not bytes
    }

    void attach(SocketEndpoint socket) {
        socketOptions.attach(socket);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_RCVBUF, SO_REUSEADDR, SO_BACKLOG);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == SO_BACKLOG) {
            return (T) Integer.valueOf(getBacklog());
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == SO_BACKLOG) {
            setBacklog((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public int getBacklog() {
        return backlog;
    }

    /** @throws IllegalArgumentException if {@code backlog} is below 1 */
    @Override
    public LibosServerSocketChannelConfig setBacklog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("SO_BACKLOG must be at least 1: " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return socketOptions.get(StandardSocketOptions.SO_REUSEADDR, Boolean.FALSE);
    }

    @Override
    public LibosServerSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        socketOptions.set(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return socketOptions.get(StandardSocketOptions.SO_RCVBUF, DEFAULT_BUFFER_BYTES);
    }

    @Override
    public LibosServerSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        socketOptions.set(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    /** Accepted and ignored, as the JDK's sockets do. */
    @Override
    public LibosServerSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public LibosServerSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    @Deprecated
    public LibosServerSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public LibosServerSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }
}
