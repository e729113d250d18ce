package dev.libos.net.nio;

import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;

/**
 * The {@link ServerSocket} view of a {@link LibosServerSocketChannel}: bind, addresses, options,
 * close, and accept in blocking mode (SO_TIMEOUT is kept but not applied).
 */
final class ServerSocketAdaptor extends ServerSocket {
    private final LibosServerSocketChannel channel;
    private volatile int timeoutMillis;

    ServerSocketAdaptor(LibosServerSocketChannel channel) {
        super(new NoSocketImpl());
        this.channel = channel;
    }

    @Override
    public ServerSocketChannel getChannel() {
        return channel;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, LibosServerSocketChannel.DEFAULT_BACKLOG);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        channel.bind(local, backlog);
    }

    @Override
    public InetAddress getInetAddress() {
        return SocketAdaptors.ipOf(SocketAdaptors.localAddress(channel), null);
    }

    @Override
    public int getLocalPort() {
        return SocketAdaptors.portOf(SocketAdaptors.localAddress(channel), -1);
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return SocketAdaptors.localAddress(channel);
    }

    @Override
    public Socket accept() throws IOException {
        if (!channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        return channel.accept().socket();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public boolean isBound() {
        return channel.isBound();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        timeoutMillis = SocketAdaptors.soTimeout(timeout);
    }

    @Override
    public int getSoTimeout() {
        return timeoutMillis;
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        SocketAdaptors.set(channel, SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return SocketAdaptors.get(channel, SO_REUSEADDR);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        SocketAdaptors.set(channel, SO_RCVBUF, SocketAdaptors.positiveSize("receive buffer size", size));
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return SocketAdaptors.get(channel, SO_RCVBUF);
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }

    @Override
    public String toString() {
        return "ServerSocketAdaptor[" + channel + "]";
    }
}
