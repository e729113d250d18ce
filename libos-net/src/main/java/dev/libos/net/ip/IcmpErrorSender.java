package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Header;
import java.lang.foreign.MemorySegment;

/**
 * How a transport reports a datagram it cannot deliver: the ICMP layer decides whether an
 * error may be sent at all (RFC 1122 section 3.2.2: never about an ICMP error, a broadcast or
 * multicast, a fragment other than the first, or an impossible source; and rate-limited).
 */
@FunctionalInterface
public interface IcmpErrorSender {
    /** Destination unreachable code 2 (RFC 792). */
    int PROTOCOL_UNREACHABLE = 2;
    /** Destination unreachable code 3 (RFC 792). */
    int PORT_UNREACHABLE = 3;

    /**
     * Reports {@code original} (whose payload, from the transport header on, is
     * {@code originalPayload}) as unreachable with {@code code}.
     */
    void destinationUnreachable(Ipv4Header original, MemorySegment originalPayload, int code, long nowNanos);
}
