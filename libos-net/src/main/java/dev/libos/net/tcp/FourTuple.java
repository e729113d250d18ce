package dev.libos.net.tcp;

/**
 * The key of a connection: local and remote address and port (addresses as IPv4 ints).
 *
 * @param localAddress  our IPv4 address
 * @param localPort     our port
 * @param remoteAddress the peer's IPv4 address
 * @param remotePort    the peer's port
 */
public record FourTuple(int localAddress, int localPort, int remoteAddress, int remotePort) {
}
