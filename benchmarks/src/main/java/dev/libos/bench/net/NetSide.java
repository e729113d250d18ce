package dev.libos.bench.net;

import dev.libos.bench.sched.Workers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The two hosts a net benchmark runs between (a server host and a client host), their sockets,
 * and the kind of thread their applications must run on. Chosen by the JMH {@code impl}
 * parameter: {@value #LIBOS} or {@value #LINUX_LOOPBACK}.
 */
interface NetSide extends AutoCloseable {
    /** Two libos TCP/IP stacks on an in-memory link, each polled by its own CPU of a booted kernel. */
    String LIBOS = "libos";
    /** java.nio channels over the Linux kernel's 127.0.0.1 loopback, on platform threads. */
    String LINUX_LOOPBACK = "linux-loopback";

    /**
     * Opens the side named {@code impl} (for libos: boots a kernel).
     *
     * @throws IllegalArgumentException naming the value when it is neither of the two
     */
    static NetSide open(String impl) throws IOException {
        return switch (impl) {
            case LIBOS -> LibosHosts.boot();
            case LINUX_LOOPBACK -> new LoopbackHosts();
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        };
    }

    /** Makes the application threads: libos threads for libos, platform threads for Linux. */
    Workers workers();

    /** The server host's address, where a benchmark's own server (not a {@link TcpListener}) binds. */
    InetAddress serverAddress() throws IOException;

    /** Connects a TCP stream from the client host to {@code server}, a listening port of the server host. */
    StreamEnd connectTcp(InetSocketAddress server) throws IOException;

    /** Listens on an ephemeral TCP port of the server host. */
    TcpListener listenTcp() throws IOException;

    /**
     * Two UDP sockets, one on each host, bound to ephemeral ports and connected to each other:
     * {@code [server, client]}.
     */
    DatagramEnd[] udpPair() throws IOException;

    /** Releases the hosts (for libos: removes the pollers and shuts the kernel down). */
    @Override
    void close() throws IOException;
}
