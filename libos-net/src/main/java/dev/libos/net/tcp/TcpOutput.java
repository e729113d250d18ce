package dev.libos.net.tcp;

import dev.libos.net.wire.TcpRepr;
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
     * @param header the header and options (its {@code payloadLength} is {@code payload}'s size)
     * @param payload the data, valid only during the call (empty for control segments)
     */
    void transmit(TcpRepr header, MemorySegment payload);
}
