package dev.libos.bench.net;

import dev.libos.api.LibOS;
import dev.libos.api.LibOSConfig;
import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import dev.libos.api.time.MonotonicClock;
import dev.libos.bench.sched.Kernel;
import dev.libos.bench.sched.Workers;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.host.Addressing;
import dev.libos.net.host.HostStack;
import dev.libos.net.host.StackLimits;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Two libos hosts (server 10.0.0.1, client 10.0.0.2) on a fault-free in-memory link
 * ({@link MemoryLink}, loopback's MTU and checksum offload), each a {@link StackNetwork} with the default TCP settings,
 * polled by its own CPU of a kernel booted with one CPU per host processor: the server stack on
 * CPU {@value #SERVER_CPU}, the client stack on {@link #clientCpu}. Benchmarks pin the server
 * application thread to the server's CPU and the client's to the client's, so each host is one CPU.
 */
final class LibosHosts implements NetSide {
    /** The MTU of Linux's loopback device. */
    static final int LOOPBACK_MTU = 65535;
    /** MSS for that MTU (less 20 IPv4 and 20 TCP header bytes); 1 MiB buffers, as Linux autotunes to. */
    private static final TcpConfig TCP = TcpConfig.builder().maxSegmentSize(LOOPBACK_MTU - 40)
            .sendBufferBytes(1 << 20).receiveBufferBytes(1 << 20).build();

    static final int SERVER_CPU = 0;
    static final Ipv4Address SERVER = Ipv4Address.of(10, 0, 0, 1);
    static final Ipv4Address CLIENT = Ipv4Address.of(10, 0, 0, 2);
    /** A blocking call that waits longer than this is taken as a lost wakeup and fails the benchmark. */
    static final long IO_TIMEOUT_NANOS = 30_000_000_000L;
    private static final long SEED = 0x5EED_0003L;

    private final LibOS os;
    private final StackNetwork server;
    private final StackNetwork client;
    private final AutoCloseable serverPoller;
    private final AutoCloseable clientPoller;
    private final Workers workers;

    private LibosHosts(LibOS os) {
        this.os = os;
        MonotonicClock clock = os.clock();
        // A loopback-like link, as the baseline has: Linux's lo has a 64 KiB MTU, so one 64 KiB
        // write is one or two segments there; the libos link gets the same MTU. Nor does lo
        // compute TCP checksums (its frames go CHECKSUM_PARTIAL and are accepted as valid): the
        // libos link offloads them the same way (MemoryLink#offloadChecksums).
        MemoryLink link = new MemoryLink("bench", 0x02_00_00_07_00_01L, 0x02_00_00_07_00_02L, LOOPBACK_MTU,
                MemoryLink.DEFAULT_QUEUE_FRAMES, clock, LinkFaults.NONE, LinkFaults.NONE, SEED).offloadChecksums();
        server = host(link.a(), SERVER, clock, SEED);
        client = host(link.b(), CLIENT, clock, SEED + 1);
        serverPoller = server.pollOn(os.cpus(), SERVER_CPU);
        clientPoller = client.pollOn(os.cpus(), clientCpu(os));
        workers = Workers.libos(os);
    }

    /**
     * Boots the kernel and brings both hosts up. The kernel takes the {@code libos.*} system
     * properties (none set: the defaults), so an experiment can vary the idle policy with
     * {@code -jvmArgsAppend -Dlibos.idle.maxParkMicros=...}; the CPU count is always
     * {@link Kernel#cpus()}.
     */
    static LibosHosts boot() {
        return new LibosHosts(LibOS.boot(LibOSConfig.fromSystemProperties().toBuilder().cpus(Kernel.cpus()).build()));
    }

    /** The client host's CPU: 1, or 0 on a one-CPU kernel. */
    static int clientCpu(LibOS os) {
        return os.cpus().count() > 1 ? 1 : 0;
    }

    private static StackNetwork host(dev.libos.api.device.NetDevice device, Ipv4Address address,
            MonotonicClock clock, long seed) {
        return HostStack.builder(clock, new SplittableRandom(seed)).tcp(TCP).limits(StackLimits.SMALL)
                .addInterface(device, Addressing.fixed(address, 24, null)).build().sockets();
    }

    /** The booted kernel (for counters). */
    LibOS os() {
        return os;
    }

    @Override
    public Workers workers() {
        return workers;
    }

    /** The client host's sockets (for counters). */
    StackNetwork clientNetwork() {
        return client;
    }

    /** The server host's sockets, for a server that opens its own (through a libos SelectorProvider). */
    StackNetwork serverNetwork() {
        return server;
    }

    @Override
    public InetAddress serverAddress() throws IOException {
        return inet(SERVER);
    }

    @Override
    public StreamEnd connectTcp(InetSocketAddress serverAddress) throws IOException {
        TcpSocket socket = client.openTcp();
        try {
            BlockingSockets.connect(socket, serverAddress, IO_TIMEOUT_NANOS);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return stream(socket);
    }

    @Override
    public TcpListener listenTcp() throws IOException {
        TcpServerSocket listener = server.openTcpServer();
        listener.bind(new InetSocketAddress(inet(SERVER), 0), 16);
        InetSocketAddress address = new InetSocketAddress(inet(SERVER), listener.localAddress().getPort());
        return new TcpListener() {
            @Override
            public StreamEnd accept() throws IOException {
                return stream(BlockingSockets.accept(listener, IO_TIMEOUT_NANOS));
            }

            @Override
            public StreamEnd connect() throws IOException {
                TcpSocket socket = client.openTcp();
                BlockingSockets.connect(socket, address, IO_TIMEOUT_NANOS);
                return stream(socket);
            }

            @Override
            public void close() throws IOException {
                listener.close();
            }
        };
    }

    private static StreamEnd stream(TcpSocket socket) throws IOException {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new StreamEnd() {
            @Override
            public void writeFully(ByteBuffer src) throws IOException {
                BlockingSockets.writeFully(socket, src, IO_TIMEOUT_NANOS);
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                return BlockingSockets.read(socket, dst, IO_TIMEOUT_NANOS);
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    @Override
    public DatagramEnd[] udpPair() throws IOException {
        UdpSocket serverSocket = server.openUdp();
        UdpSocket clientSocket = client.openUdp();
        serverSocket.bind(new InetSocketAddress(inet(SERVER), 0));
        clientSocket.bind(new InetSocketAddress(inet(CLIENT), 0));
        InetSocketAddress serverAddress = new InetSocketAddress(inet(SERVER), serverSocket.localAddress().getPort());
        InetSocketAddress clientAddress = new InetSocketAddress(inet(CLIENT), clientSocket.localAddress().getPort());
        serverSocket.connect(clientAddress);
        clientSocket.connect(serverAddress);
        return new DatagramEnd[] {datagrams(serverSocket), datagrams(clientSocket)};
    }

    private static DatagramEnd datagrams(UdpSocket socket) {
        return new DatagramEnd() {
            @Override
            public void send(ByteBuffer src) throws IOException {
                while (socket.send(src, null) == 0) {
                    BlockingSockets.await(socket, Readiness.WRITE, IO_TIMEOUT_NANOS);
                }
            }

            @Override
            public void receive(ByteBuffer dst) throws IOException {
                BlockingSockets.receive(socket, dst, IO_TIMEOUT_NANOS);
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    static InetAddress inet(Ipv4Address address) throws IOException {
        return InetAddress.getByName(address.toString());
    }

    @Override
    public void close() throws IOException {
        try {
            serverPoller.close();
            clientPoller.close();
        } catch (Exception e) {
            throw new IllegalStateException("removing a poller cannot fail", e);
        }
        Kernel.shutdown(os);
    }
}
