package dev.libos.net.netty;

import io.netty.channel.ChannelOption;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * A Netty channel option whose value lives in the channel's socket as the JDK
 * {@link SocketOption} of the same name, and the value a configuration reports while the socket
 * cannot tell (before it exists, or when it lacks the option).
 */
record SocketBackedOption<T>(ChannelOption<T> channelOption, SocketOption<T> socketOption, T defaultValue) {
    private static final int DEFAULT_BUFFER_BYTES = 64 * 1024;

    static final SocketBackedOption<Integer> RECEIVE_BUFFER =
            new SocketBackedOption<>(ChannelOption.SO_RCVBUF, StandardSocketOptions.SO_RCVBUF, DEFAULT_BUFFER_BYTES);
    static final SocketBackedOption<Integer> SEND_BUFFER =
            new SocketBackedOption<>(ChannelOption.SO_SNDBUF, StandardSocketOptions.SO_SNDBUF, DEFAULT_BUFFER_BYTES);
    static final SocketBackedOption<Boolean> REUSE_ADDRESS =
            new SocketBackedOption<>(ChannelOption.SO_REUSEADDR, StandardSocketOptions.SO_REUSEADDR, Boolean.FALSE);
    static final SocketBackedOption<Boolean> TCP_NO_DELAY =
            new SocketBackedOption<>(ChannelOption.TCP_NODELAY, StandardSocketOptions.TCP_NODELAY, Boolean.FALSE);
    static final SocketBackedOption<Boolean> KEEP_ALIVE =
            new SocketBackedOption<>(ChannelOption.SO_KEEPALIVE, StandardSocketOptions.SO_KEEPALIVE, Boolean.FALSE);
    /** -1: lingering off. */
    static final SocketBackedOption<Integer> LINGER =
            new SocketBackedOption<>(ChannelOption.SO_LINGER, StandardSocketOptions.SO_LINGER, -1);
    static final SocketBackedOption<Integer> TRAFFIC_CLASS =
            new SocketBackedOption<>(ChannelOption.IP_TOS, StandardSocketOptions.IP_TOS, 0);
}
