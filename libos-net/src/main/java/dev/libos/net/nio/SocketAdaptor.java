package dev.libos.net.nio;

import static java.net.StandardSocketOptions.IP_TOS;
import static java.net.StandardSocketOptions.SO_KEEPALIVE;
import static java.net.StandardSocketOptions.SO_LINGER;
import static dev.libos.api.net.LibosSocketOptions.SO_OOBINLINE;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static java.net.StandardSocketOptions.TCP_NODELAY;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.Channels;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The {@link Socket} view of a {@link LibosSocketChannel}: addresses, options, shutdown, close,
 * and streams (blocking mode only). SO_TIMEOUT is kept but not applied to the streams, and urgent
 * data cannot be sent (SO_OOBINLINE is kept: the stack delivers every byte inline). Everything
 * goes through the channel.
 */
final class SocketAdaptor extends Socket {
    private final LibosSocketChannel channel;
    private volatile int timeoutMillis;

    private SocketAdaptor(LibosSocketChannel channel) throws SocketException {
        super((SocketImpl) null);
        this.channel = channel;
    }

    static Socket of(LibosSocketChannel channel) {
        try {
            return new SocketAdaptor(channel);
        } catch (SocketException e) {
            throw new IllegalStateException("Socket(SocketImpl) refused a null impl", e);
        }
    }

    @Override
    public SocketChannel getChannel() {
        return channel;
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    /** Connects through the channel (blocking mode only); the timeout is not applied. */
    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("negative connect timeout: " + timeout);
        }
        if (!channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        channel.connect(remote);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        channel.bind(local);
    }

    @Override
    public InetAddress getInetAddress() {
        return SocketAdaptors.ipOf(remote(), null);
    }

    @Override
    public InetAddress getLocalAddress() {
        return SocketAdaptors.ipOf(local(), new InetSocketAddress(0).getAddress());
    }

    @Override
    public int getPort() {
        return SocketAdaptors.portOf(remote(), 0);
    }

    @Override
    public int getLocalPort() {
        return SocketAdaptors.portOf(local(), -1);
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local();
    }

    /** The peer's address; null while unconnected or once the channel is closed. */
    private InetSocketAddress remote() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException closed) {
            return null;
        }
    }

    private InetSocketAddress local() {
        return SocketAdaptors.localAddress(channel);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureUsable();
        if (channel.isInputShutdown()) {
            throw new SocketException("Socket input is shutdown");
        }
        return Channels.newInputStream(channel);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureUsable();
        if (channel.isOutputShutdown()) {
            throw new SocketException("Socket output is shutdown");
        }
        return Channels.newOutputStream(channel);
    }

    private void ensureUsable() throws SocketException {
        if (!channel.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (!channel.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
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
    public void setTcpNoDelay(boolean on) throws SocketException {
        SocketAdaptors.set(channel, TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return SocketAdaptors.get(channel, TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        SocketAdaptors.set(channel, SO_LINGER, on ? linger : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return SocketAdaptors.get(channel, SO_LINGER);
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
    public void setSendBufferSize(int size) throws SocketException {
        SocketAdaptors.set(channel, SO_SNDBUF, SocketAdaptors.positiveSize("send buffer size", size));
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return SocketAdaptors.get(channel, SO_SNDBUF);
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
    public void setKeepAlive(boolean on) throws SocketException {
        SocketAdaptors.set(channel, SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return SocketAdaptors.get(channel, SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        SocketAdaptors.set(channel, IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return SocketAdaptors.get(channel, IP_TOS);
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
    public void setOOBInline(boolean on) throws SocketException {
        SocketAdaptors.set(channel, SO_OOBINLINE, on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return SocketAdaptors.get(channel, SO_OOBINLINE);
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        // Loud rather than silent: the stack sends no URG segments (RFC 6093 advises against them).
        throw new SocketException("sendUrgentData: urgent data (TCP URG) is not supported by libos sockets");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public boolean isBound() {
        return local() != null;
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return channel.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return channel.isOutputShutdown();
    }

    @Override
    public String toString() {
        return "SocketAdaptor[" + channel + "]";
    }
}
