package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import dev.libos.net.wire.WireCheck;
import java.util.Map;

/**
 * A snapshot of one interface's counters.
 *
 * @param name          the device name
 * @param mac           the interface's MAC
 * @param address       its IPv4 address ({@code 0.0.0.0} when unconfigured)
 * @param prefixLength  its prefix length
 * @param framesIn      frames received from the device
 * @param bytesIn       their bytes
 * @param framesOut     frames the device accepted
 * @param bytesOut      their bytes
 * @param txRefused     frames the device refused (queue full)
 * @param framesParsed  frames the parser accepted
 * @param wireDrops     frames the parser dropped, by reason (non-zero reasons only)
 */
public record InterfaceStats(String name, MacAddress mac, Ipv4Address address, int prefixLength, long framesIn,
                             long bytesIn, long framesOut, long bytesOut, long txRefused, long framesParsed,
                             Map<WireCheck, Long> wireDrops) {
    /** Copies the map. */
    public InterfaceStats {
        wireDrops = Map.copyOf(wireDrops);
    }

    /** Frames dropped by the parser for any reason. */
    public long totalWireDrops() {
        return wireDrops.values().stream().mapToLong(Long::longValue).sum();
    }
}
