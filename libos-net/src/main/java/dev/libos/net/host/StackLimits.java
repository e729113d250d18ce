package dev.libos.net.host;

/**
 * The resource limits of one host's stack, named so that every host states them the same way.
 * Per-connection buffer sizes are the TCP configuration's ({@code TcpConfig.sendBufferBytes} and
 * {@code receiveBufferBytes}); these bound the whole host.
 *
 * @param maxConnections       TCP connections (established, opening and closing) the host keeps at once;
 *                             a SYN beyond it is refused
 * @param tcpBufferBudgetBytes bytes all TCP connections' send and receive buffers may hold together
 */
public record StackLimits(int maxConnections, long tcpBufferBudgetBytes) {
    /** A server host: 4096 connections, 1 GiB of TCP buffers (what the examples used). */
    public static final StackLimits SERVER = new StackLimits(4096, 1L << 30);
    /** A small host (tests, benchmarks' peers): 1024 connections, 256 MiB of TCP buffers. */
    public static final StackLimits SMALL = new StackLimits(1024, 1L << 28);

    public StackLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
        }
        if (tcpBufferBudgetBytes < 1) {
            throw new IllegalArgumentException("tcpBufferBudgetBytes must be >= 1: " + tcpBufferBudgetBytes);
        }
    }
}
