package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;

/**
 * How a transport protocol sends: the IP layer picks the route and interface, resolves the next
 * hop with ARP (queueing while it resolves), writes the IPv4 and Ethernet headers, and asks the
 * transport to write its own header and data (checksum included) in place, so nothing is copied.
 */
public interface Ipv4Output {
    /**
     * Sends one datagram of {@code payloadLength} bytes.
     *
     * @param protocol an {@code IpProtocol} number
     * @param writer fills the payload (transport header, data, checksum) in the frame's buffer
     * @return false when the datagram was dropped (no route, no buffer, ARP queue full); the IP
     *     layer counts why
     */
    boolean send(Ipv4Address source, Ipv4Address destination, int protocol, int payloadLength,
            PayloadWriter writer);

    /** The source address the stack would use to reach {@code destination}, or null without a route. */
    Ipv4Address sourceFor(Ipv4Address destination);

    /** The largest transport payload that reaches {@code destination} unfragmented (for MSS). */
    int maxPayload(Ipv4Address destination);

    /** Writes a transport payload into the outgoing frame. */
    @FunctionalInterface
    interface PayloadWriter {
        /** @param payload exactly {@code payloadLength} bytes, where the transport header starts */
        void write(MemorySegment payload);

        /**
         * Like {@link #write(MemorySegment)}; when {@code checksumByDevice} the device completes
         * the TCP/UDP checksum (transmit checksum offload) and the IP layer overwrites the field
         * with the pseudo-header sum afterwards, so the writer may skip computing it. The default
         * computes it anyway, which is merely wasted work.
         */
        default void write(MemorySegment payload, boolean checksumByDevice) {
            write(payload);
        }
    }
}
