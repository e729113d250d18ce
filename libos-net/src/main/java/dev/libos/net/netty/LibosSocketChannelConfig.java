package dev.libos.net.netty;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_LINGER;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.netty.channel.ChannelOption.TCP_NODELAY;

import dev.libos.api.net.SocketEndpoint;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import java.net.StandardSocketOptions;
import java.util.Map;

/**
 * The configuration of a {@link LibosSocketChannel}: Netty's channel options, plus the TCP options
 * mapped to the socket's {@link StandardSocketOptions} (TCP_NODELAY, SO_KEEPALIVE, SO_RCVBUF,
 * SO_SNDBUF, SO_REUSEADDR, SO_LINGER, IP_TOS) and ALLOW_HALF_CLOSURE kept by the channel.
 */
final class LibosSocketChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {
    /** Reported while the socket cannot tell (before it exists, or when it lacks the option). */
    private static final int DEFAULT_BUFFER_BYTES = 64 * 1024;

    private final SocketOptionStore socketOptions = new SocketOptionStore();
    private final Runnable onAutoReadCleared;
    private volatile boolean allowHalfClosure;

    LibosSocketChannelConfig(LibosSocketChannel channel, Runnable onAutoReadCleared) {
        super(channel);
        this.onAutoReadCleared = onAutoReadCleared;
        setTcpNoDelay(true); // as Netty's NIO and epoll transports do
    }

    /** Applies the options set so far to the channel's socket. */
    void attach(SocketEndpoint socket) {
        socketOptions.attach(socket);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR,
                SO_LINGER, IP_TOS, ALLOW_HALF_CLOSURE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == SO_SNDBUF) {
            return (T) Integer.valueOf(getSendBufferSize());
        }
        if (option == TCP_NODELAY) {
            return (T) Boolean.valueOf(isTcpNoDelay());
        }
        if (option == SO_KEEPALIVE) {
            return (T) Boolean.valueOf(isKeepAlive());
        }
        if (option == SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == SO_LINGER) {
            return (T) Integer.valueOf(getSoLinger());
        }
        if (option == IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(isAllowHalfClosure());
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public boolean isTcpNoDelay() {
        return socketOptions.get(StandardSocketOptions.TCP_NODELAY, Boolean.FALSE);
    }

    @Override
    public LibosSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        socketOptions.set(StandardSocketOptions.TCP_NODELAY, tcpNoDelay);
        return this;
    }

    @Override
    public int getSoLinger() {
        return socketOptions.get(StandardSocketOptions.SO_LINGER, -1);
    }

    @Override
    public LibosSocketChannelConfig setSoLinger(int soLinger) {
        socketOptions.set(StandardSocketOptions.SO_LINGER, soLinger);
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return socketOptions.get(StandardSocketOptions.SO_SNDBUF, DEFAULT_BUFFER_BYTES);
    }

    @Override
    public LibosSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        socketOptions.set(StandardSocketOptions.SO_SNDBUF, sendBufferSize);
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return socketOptions.get(StandardSocketOptions.SO_RCVBUF, DEFAULT_BUFFER_BYTES);
    }

    @Override
    public LibosSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        socketOptions.set(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    @Override
    public boolean isKeepAlive() {
        return socketOptions.get(StandardSocketOptions.SO_KEEPALIVE, Boolean.FALSE);
    }

    @Override
    public LibosSocketChannelConfig setKeepAlive(boolean keepAlive) {
        socketOptions.set(StandardSocketOptions.SO_KEEPALIVE, keepAlive);
        return this;
    }

    @Override
    public int getTrafficClass() {
        return socketOptions.get(StandardSocketOptions.IP_TOS, 0);
    }

    @Override
    public LibosSocketChannelConfig setTrafficClass(int trafficClass) {
        socketOptions.set(StandardSocketOptions.IP_TOS, trafficClass);
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return socketOptions.get(StandardSocketOptions.SO_REUSEADDR, Boolean.FALSE);
    }

    @Override
    public LibosSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        socketOptions.set(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
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
