package dev.libos.net.netty;

import dev.libos.api.net.SocketEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import java.util.List;
import java.util.Map;

/**
 * What the libos channel configurations share: the options kept in the socket
 * ({@link SocketBackedOption}s, through a {@link SocketOptionStore}) answered by
 * {@link #getOption}/{@link #setOption} next to Netty's own, and the two such options every
 * libos socket has, SO_RCVBUF and SO_REUSEADDR. The setters stay in the subclasses, which return
 * their own type as Netty's config interfaces require.
 */
abstract class AbstractLibosChannelConfig extends DefaultChannelConfig {
    private final List<SocketBackedOption<?>> socketBacked;
    final SocketOptionStore socketOptions = new SocketOptionStore();

    AbstractLibosChannelConfig(Channel channel, RecvByteBufAllocator allocator, List<SocketBackedOption<?>> socketBacked) {
        super(channel, allocator);
        this.socketBacked = socketBacked;
    }

    /** Applies the options set so far to the channel's socket, and those set later as they are set. */
    final void attach(SocketEndpoint socket) {
        socketOptions.attach(socket);
    }

    /** Netty's options and the socket-backed ones. */
    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        Map<ChannelOption<?>, Object> options = super.getOptions();
        for (SocketBackedOption<?> option : socketBacked) {
            options.put(option.channelOption(), getOption(option.channelOption()));
        }
        return options;
    }

    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option instanceof LibosChannelOption<T> any) {
            return socketOptions.get(any.socketOption(), null);
        }
        SocketBackedOption<T> backed = socketBacked(option);
        return backed != null ? socketOptions.get(backed) : super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        if (option instanceof LibosChannelOption<T> any) {
            socketOptions.set(any.socketOption(), value);
            return true;
        }
        SocketBackedOption<T> backed = socketBacked(option);
        if (backed == null) {
            return super.setOption(option, value);
        }
        validate(option, value);
        socketOptions.set(backed, value);
        return true;
    }

    @SuppressWarnings("unchecked") // the entry for a ChannelOption<T> is a SocketBackedOption<T>
    private <T> SocketBackedOption<T> socketBacked(ChannelOption<T> option) {
        for (SocketBackedOption<?> candidate : socketBacked) {
            if (candidate.channelOption() == option) {
                return (SocketBackedOption<T>) candidate;
            }
        }
        return null;
    }

    public int getReceiveBufferSize() {
        return socketOptions.get(SocketBackedOption.RECEIVE_BUFFER);
    }

    public boolean isReuseAddress() {
        return socketOptions.get(SocketBackedOption.REUSE_ADDRESS);
    }
}
