package dev.libos.net.netty;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a {@link LibosSocketChannel}: Netty's channel options, plus the TCP options
 * mapped to the socket's {@link StandardSocketOptions} (TCP_NODELAY, SO_KEEPALIVE, SO_RCVBUF,
 * SO_SNDBUF, SO_REUSEADDR, SO_LINGER, IP_TOS) and ALLOW_HALF_CLOSURE kept by the channel.
 */
final class LibosSocketChannelConfig extends AbstractLibosChannelConfig implements SocketChannelConfig {
    private final Runnable onAutoReadCleared;
    private volatile boolean allowHalfClosure;

    LibosSocketChannelConfig(LibosSocketChannel channel, Runnable onAutoReadCleared) {
        super(channel, new AdaptiveRecvByteBufAllocator(), List.of(SocketBackedOption.RECEIVE_BUFFER,
                SocketBackedOption.SEND_BUFFER, SocketBackedOption.TCP_NO_DELAY, SocketBackedOption.KEEP_ALIVE,
                SocketBackedOption.REUSE_ADDRESS, SocketBackedOption.LINGER, SocketBackedOption.TRAFFIC_CLASS));
        this.onAutoReadCleared = onAutoReadCleared;
        setTcpNoDelay(true); // as Netty's NIO and epoll transports do
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ALLOW_HALF_CLOSURE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        return option == ALLOW_HALF_CLOSURE ? (T) Boolean.valueOf(isAllowHalfClosure()) : super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        if (option != ALLOW_HALF_CLOSURE) {
            return super.setOption(option, value);
        }
        validate(option, value);
        setAllowHalfClosure((Boolean) value);
        return true;
    }

    @Override
    public boolean isTcpNoDelay() {
        return socketOptions.get(SocketBackedOption.TCP_NO_DELAY);
    }

    @Override
    public LibosSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        socketOptions.set(SocketBackedOption.TCP_NO_DELAY, tcpNoDelay);
        return this;
    }

    @Override
    public int getSoLinger() {
        return socketOptions.get(SocketBackedOption.LINGER);
    }

    @Override
    public LibosSocketChannelConfig setSoLinger(int soLinger) {
        socketOptions.set(SocketBackedOption.LINGER, soLinger);
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return socketOptions.get(SocketBackedOption.SEND_BUFFER);
    }

    @Override
    public LibosSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        socketOptions.set(SocketBackedOption.SEND_BUFFER, sendBufferSize);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        socketOptions.set(SocketBackedOption.RECEIVE_BUFFER, receiveBufferSize);
        return this;
    }

    @Override
    public boolean isKeepAlive() {
        return socketOptions.get(SocketBackedOption.KEEP_ALIVE);
    }

    @Override
    public LibosSocketChannelConfig setKeepAlive(boolean keepAlive) {
        socketOptions.set(SocketBackedOption.KEEP_ALIVE, keepAlive);
        return this;
    }

    @Override
    public int getTrafficClass() {
        return socketOptions.get(SocketBackedOption.TRAFFIC_CLASS);
    }

    @Override
    public LibosSocketChannelConfig setTrafficClass(int trafficClass) {
        socketOptions.set(SocketBackedOption.TRAFFIC_CLASS, trafficClass);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        socketOptions.set(SocketBackedOption.REUSE_ADDRESS, reuseAddress);
        return this;
    }

    /** Accepted and ignored, as the JDK's sockets do. */
    @Override
    public LibosSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public LibosSocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    protected void autoReadCleared() {
        onAutoReadCleared.run();
    }

    @Override
    public LibosSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public LibosSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public LibosSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }
}
