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

    /**
     * Like {@link #onDatagram(Ipv4Repr, MemorySegment, long)}, for an unfragmented datagram whose
     * transport checksum the device may have verified ({@code NetDevice.FrameSink}); a handler
     * that checks a checksum can skip it when {@code checksumVerified}. The default ignores it.
     */
    default void onDatagram(Ipv4Repr ip, MemorySegment payload, boolean checksumVerified, long nowNanos) {
        onDatagram(ip, payload, nowNanos);
    }
}
