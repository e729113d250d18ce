package dev.libos.net.tcp;

import dev.libos.net.wire.TcpHeader;
import java.lang.foreign.MemorySegment;

/**
 * Where a {@link TcpConnection} sends its segments: the {@link TcpLayer} routes them to the IP
 * layer, tests record them. The connection's addresses are the output's business.
 */
@FunctionalInterface
public interface TcpOutput {
    /**
     * Sends one segment.
     *
     * @param header the header and options: the connection's reused header, valid only during
     *     the call (an output that keeps it keeps {@link TcpHeader#toRepr()})
     * @param data holds the segment's data, {@code header.payloadLength()} bytes at
     *     {@code dataOffset} (the send buffer itself where it can be: no slice, no copy), valid
     *     only during the call
     * @param dataOffset where the data starts in {@code data}
     */
    void transmit(TcpHeader header, MemorySegment data, long dataOffset);
}
