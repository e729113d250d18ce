package dev.libos.bench.net;

import dev.libos.bench.sched.Workers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Both hosts on the Linux kernel's loopback (127.0.0.1) through java.nio channels in blocking
 * mode, as unmodified Java code would use them; application threads are platform threads.
 */
final class LoopbackHosts implements NetSide {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Override
    public Workers workers() {
        return Workers.platform();
    }

    @Override
    public InetAddress serverAddress() {
        return LOOPBACK;
    }

    @Override
    public StreamEnd connectTcp(InetSocketAddress server) throws IOException {
        return stream(SocketChannel.open(server));
    }

    @Override
    public TcpListener listenTcp() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0), 16);
        InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
        return new TcpListener() {
            @Override
            public StreamEnd accept() throws IOException {
                return stream(listener.accept());
            }

            @Override
            public StreamEnd connect() throws IOException {
                return stream(SocketChannel.open(address));
            }

            @Override
            public void close() throws IOException {
                listener.close();
            }
        };
    }

    private static StreamEnd stream(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new StreamEnd() {
            @Override
            public void writeFully(ByteBuffer src) throws IOException {
                while (src.hasRemaining()) {
                    channel.write(src); // blocking mode: returns once it has written something
                }
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                return channel.read(dst);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Override
    public DatagramEnd[] udpPair() throws IOException {
        DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        server.connect(client.getLocalAddress());
        client.connect(server.getLocalAddress());
        return new DatagramEnd[] {datagrams(server), datagrams(client)};
    }

    private static DatagramEnd datagrams(DatagramChannel channel) {
        return new DatagramEnd() {
            @Override
            public void send(ByteBuffer src) throws IOException {
                channel.write(src);
            }

            @Override
            public void receive(ByteBuffer dst) throws IOException {
                channel.read(dst);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Override
    public void close() {
        // Nothing held beyond the sockets, which their benchmarks close.
    }
}
