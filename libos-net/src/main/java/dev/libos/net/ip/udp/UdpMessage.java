package dev.libos.net.ip.udp;

import dev.libos.net.wire.Ipv4Address;

/**
 * One received datagram.
 *
 * @param source          the sender's address
 * @param sourcePort      the sender's port
 * @param destination     the address it was sent to (ours, or a broadcast)
 * @param data            the data (owned by the receiver)
 * @param receivedAtNanos the stack time it arrived
 */
public record UdpMessage(Ipv4Address source, int sourcePort, Ipv4Address destination, byte[] data,
                         long receivedAtNanos) {
}
