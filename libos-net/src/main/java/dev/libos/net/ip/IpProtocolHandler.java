package dev.libos.net.ip;

import dev.libos.net.wire.FrameSummary;
import java.lang.foreign.MemorySegment;

/**
 * Receives the IPv4 datagrams of one transport protocol (TCP, UDP) once the IP layer has
 * validated, if needed reassembled, and parsed them. Runs on the stack's poller: it must not
 * block.
 */
public interface IpProtocolHandler {
    /**
     * @param datagram what the parser made of the datagram: for TCP a {@link FrameSummary.Tcp},
     *     for UDP a {@link FrameSummary.Udp}, every header checked (the transport checksum
     *     included, once, by the parser or the device), so the handler parses nothing again;
     *     {@link FrameSummary.Ipv4Unparsed} for a protocol the parser does not know
     * @param packet what the datagram's offsets count from (the frame, or the reassembled
     *     payload), valid only during the call
     * @param nowNanos the libos clock for this poll
     */
    void onDatagram(FrameSummary.Datagram datagram, MemorySegment packet, long nowNanos);
}
