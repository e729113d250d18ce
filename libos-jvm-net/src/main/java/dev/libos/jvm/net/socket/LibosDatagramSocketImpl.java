package dev.libos.jvm.net.socket;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.UdpSocket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The {@link DatagramSocketImpl} of every {@link java.net.DatagramSocket} once libos is installed,
 * over a libos {@link UdpSocket}. Receives honour SO_TIMEOUT; a peek keeps the datagram for the
 * next receive. Multicast (joining groups, TTL, interfaces) is not supported by the libos stack:
 * those calls throw a {@link SocketException} naming the {@code MulticastSocket} API.
 *
 * <p>Known difference: a receive sets the packet's length with {@link DatagramPacket#setLength},
 * which (unlike the JDK's own impl, which reaches a package-private setter) also shrinks the buffer
 * length the next receive into the same packet may fill; reset it with {@code setLength} as
 * portable code does.
 */
final class LibosDatagramSocketImpl extends DatagramSocketImpl {
    /** The largest UDP payload over IPv4 (65,535 - 20 - 8). */
    static final int MAX_DATAGRAM_BYTES = 65_507;

    private final Network network;
    private volatile UdpSocket socket;
    private final ImplOptions options = new ImplOptions("DatagramSocket", this::socket);
    /** A datagram peeked and not yet received, with its sender; guarded by this. */
    private ByteBuffer peeked;
    private InetSocketAddress peekedFrom;

    LibosDatagramSocketImpl(Network network) {
        this.network = network;
    }

    private UdpSocket socket() throws SocketException {
        UdpSocket s = socket;
        if (s == null) {
            throw new SocketException("DatagramSocket is not created");
        }
        return s;
    }

    @Override
    protected void create() throws SocketException {
        try {
            socket = network.openUdp();
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
    }

    @Override
    protected void bind(int lport, InetAddress laddr) throws SocketException {
        UdpSocket s = socket();
        try {
            s.bind(new InetSocketAddress(laddr, lport));
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
        localPort = s.localAddress().getPort();
    }

    @Override
    protected void connect(InetAddress address, int port) throws SocketException {
        try {
            socket().connect(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
    }

    @Override
    protected void disconnect() {
        try {
            socket().disconnect();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("DatagramSocket.disconnect", e);
        }
    }

    @Override
    protected void send(DatagramPacket p) throws IOException {
        UdpSocket s = socket();
        InetSocketAddress target = p.getAddress() == null ? null : (InetSocketAddress) p.getSocketAddress();
        ByteBuffer data = ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength());
        try {
            while (s.send(data, target) == 0) {
                BlockingSockets.await(s, Readiness.WRITE, 0);
            }
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
    }

    @Override
    protected synchronized int peek(InetAddress into) throws IOException {
        fillPeeked();
        return peekedFrom.getPort(); // the deprecated API cannot tell the address back
    }

    @Override
    protected synchronized int peekData(DatagramPacket p) throws IOException {
        fillPeeked();
        copyOut(peeked.duplicate(), peekedFrom, p);
        return peekedFrom.getPort();
    }

    @Override
    protected synchronized void receive(DatagramPacket p) throws IOException {
        if (peeked == null) {
            fillPeeked();
        }
        copyOut(peeked, peekedFrom, p);
        peeked = null;
        peekedFrom = null;
    }

    private void fillPeeked() throws IOException {
        if (peeked != null) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM_BYTES);
        InetSocketAddress from;
        try {
            from = BlockingSockets.receive(socket(), buffer, Timeouts.nanos(options.timeoutMillis()));
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw LegacyOptions.asSocketException(e);
        }
        peeked = buffer.flip();
        peekedFrom = from;
    }

    /** Copies what fits of {@code datagram} into {@code p} (the rest is dropped, as UDP sockets do). */
    private static void copyOut(ByteBuffer datagram, InetSocketAddress from, DatagramPacket p) {
        int capacity = p.getData().length - p.getOffset();
        int n = Math.min(datagram.remaining(), Math.min(capacity, p.getLength()));
        datagram.get(p.getData(), p.getOffset(), n);
        p.setLength(n);
        p.setAddress(from.getAddress());
        p.setPort(from.getPort());
    }

    @Override
    protected void close() {
        UdpSocket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a libos socket does not fail; nothing to report to a caller that cannot take it
            }
        }
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        options.set(optID, value);
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        return options.get(optID);
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        options.set(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return options.get(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return options.supported();
    }

    private static SocketException noMulticast(String api) {
        return LegacyOptions.unsupported(api, "the libos stack has no multicast (IGMP)");
    }

    @Override
    @Deprecated
    protected void setTTL(byte ttl) throws IOException {
        throw noMulticast("MulticastSocket.setTTL");
    }

    @Override
    @Deprecated
    protected byte getTTL() throws IOException {
        throw noMulticast("MulticastSocket.getTTL");
    }

    @Override
    protected void setTimeToLive(int ttl) throws IOException {
        throw noMulticast("MulticastSocket.setTimeToLive");
    }

    @Override
    protected int getTimeToLive() throws IOException {
        throw noMulticast("MulticastSocket.getTimeToLive");
    }

    @Override
    protected void join(InetAddress group) throws IOException {
        throw noMulticast("MulticastSocket.joinGroup");
    }

    @Override
    protected void leave(InetAddress group) throws IOException {
        throw noMulticast("MulticastSocket.leaveGroup");
    }

    @Override
    protected void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        throw noMulticast("MulticastSocket.joinGroup");
    }

    @Override
    protected void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        throw noMulticast("MulticastSocket.leaveGroup");
    }
}
