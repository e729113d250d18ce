package dev.libos.net.ip.icmp;

import dev.libos.net.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;

/** Receives the echo replies that reach a stack (ping's receive side). */
@FunctionalInterface
public interface EchoListener {
    /** @param data the echo data, valid only during the call */
    void onEchoReply(Ipv4Address from, int identifier, int sequenceNumber, MemorySegment data, long nowNanos);
}
