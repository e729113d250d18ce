package dev.libos.net.netty;

import io.netty.channel.ChannelOption;
import java.net.SocketOption;
import java.util.Objects;

/**
 * A Netty channel option for any socket option of the channel's libos socket, as Netty's
 * {@code NioChannelOption} is for NIO: {@code childOption(LibosChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), 60)}.
 * Set before the channel has a socket, it is applied when the socket is attached; a socket
 * without the option fails loudly ({@code ChannelException} naming it).
 */
public final class LibosChannelOption<T> extends ChannelOption<T> {
    private final SocketOption<T> socketOption;

    @SuppressWarnings("deprecation") // the unpooled constructor, as NioChannelOption uses
    private LibosChannelOption(SocketOption<T> socketOption) {
        super(socketOption.name());
        this.socketOption = socketOption;
    }

    /** The channel option for {@code socketOption}. */
    public static <T> ChannelOption<T> of(SocketOption<T> socketOption) {
        return new LibosChannelOption<>(Objects.requireNonNull(socketOption, "socketOption"));
    }

    SocketOption<T> socketOption() {
        return socketOption;
    }
}
