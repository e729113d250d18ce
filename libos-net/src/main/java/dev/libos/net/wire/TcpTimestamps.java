package dev.libos.net.wire;

/**
 * The timestamps option (RFC 7323 section 3.2), both values 32-bit unsigned held in ints.
 *
 * @param value     TSval: the sender's timestamp clock
 * @param echoReply TSecr: the most recent TSval received (valid when ACK is set)
 */
public record TcpTimestamps(int value, int echoReply) {
}
