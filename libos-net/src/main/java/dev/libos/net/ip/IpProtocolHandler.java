package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Repr;
import java.lang.foreign.MemorySegment;

/**
 * Receives the IPv4 datagrams of one transport protocol (TCP, UDP) once the IP layer has
 * validated and, if needed, reassembled them. Runs on the stack's poller: it must not block.
 */
public interface IpProtocolHandler {
    /**
     * @param ip the datagram's IPv4 header
     * @param payload the transport header and data (not yet validated at the transport layer),
     *     valid only during the call
     * @param nowNanos the libos clock for this poll
     */
    void onDatagram(Ipv4Repr ip, MemorySegment payload, long nowNanos);
}
