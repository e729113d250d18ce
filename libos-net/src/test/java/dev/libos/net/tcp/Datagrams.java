package dev.libos.net.tcp;

import dev.libos.net.wire.FrameParser;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.Ipv4Repr;
import dev.libos.net.wire.WireCounters;
import java.lang.foreign.MemorySegment;

/** Hands a TCP layer a raw datagram the way the IP layer does: parsed and checked once, first. */
final class Datagrams {
    private final FrameParser parser = new FrameParser(new WireCounters());

    /** Parses {@code bytes} as the payload of {@code ip}; delivers it unless the parser drops it; returns what it made. */
    FrameSummary deliver(TcpLayer layer, Ipv4Repr ip, byte[] bytes, long nowNanos) {
        MemorySegment packet = MemorySegment.ofArray(bytes);
        FrameSummary summary = parser.parseDatagram(null, ip, packet);
        if (summary instanceof FrameSummary.Datagram datagram) {
            layer.onDatagram(datagram, packet, nowNanos);
        }
        return summary;
    }

    /** The parser's counters (drops by reason). */
    WireCounters counters() {
        return parser.counters();
    }
}
