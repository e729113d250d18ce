package dev.libos.net.netty;

import static io.netty.channel.ChannelOption.SO_BACKLOG;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.util.NetUtil;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a {@link LibosServerSocketChannel}: SO_BACKLOG (used at bind), SO_RCVBUF
 * and SO_REUSEADDR mapped to the listening socket, and Netty's channel options.
 */
final class LibosServerSocketChannelConfig extends AbstractLibosChannelConfig implements ServerSocketChannelConfig {
    private volatile int backlog = NetUtil.SOMAXCONN;

    LibosServerSocketChannelConfig(LibosServerSocketChannel channel) {
        super(channel, new ServerChannelRecvByteBufAllocator(), // counts accepts, not bytes
                List.of(SocketBackedOption.RECEIVE_BUFFER, SocketBackedOption.REUSE_ADDRESS));
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_BACKLOG);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        return option == SO_BACKLOG ? (T) Integer.valueOf(getBacklog()) : super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        if (option != SO_BACKLOG) {
            return super.setOption(option, value);
        }
        validate(option, value);
        setBacklog((Integer) value);
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
    public LibosServerSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        socketOptions.set(SocketBackedOption.REUSE_ADDRESS, reuseAddress);
        return this;
    }

    @Override
    public LibosServerSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        socketOptions.set(SocketBackedOption.RECEIVE_BUFFER, receiveBufferSize);
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
