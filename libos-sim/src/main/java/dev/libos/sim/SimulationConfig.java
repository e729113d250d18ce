package dev.libos.sim;

import dev.libos.hw.hosted.block.FaultPlan;
import dev.libos.hw.hosted.net.LinkFaults;

/**
 * What a simulation is made of. Every random choice of the run derives from {@code seed}.
 *
 * @param seed       the one seed
 * @param hosts      number of hosts, 0 to 254 (0: threads only, no network or disks)
 * @param linkFaults faults of every switch port's wire (loss, duplication, reordering, delay)
 * @param diskFaults faults of every host's disk (volatile cache at power cuts, torn writes, bit flips, I/O errors)
 * @param diskBlocks size of each disk in 4 KiB blocks
 * @param strict     fail the run when nondeterminism is detected (the default), rather than only report it
 */
public record SimulationConfig(long seed, int hosts, LinkFaults linkFaults, FaultPlan diskFaults, long diskBlocks,
                               boolean strict) {
    /** A 1 ms LAN with 0.1 ms jitter, no loss; disks that lose or tear unflushed blocks at a power cut. */
    public static final LinkFaults DEFAULT_LINK = LinkFaults.NONE.withDelay(1_000_000, 100_000);

    public SimulationConfig {
        if (hosts < 0 || hosts > 254) {
            throw new IllegalArgumentException("hosts must be in [0, 254]: " + hosts);
        }
        if (linkFaults == null || diskFaults == null) {
            throw new IllegalArgumentException("linkFaults and diskFaults must not be null");
        }
        if (diskBlocks < 64 || diskBlocks > (1L << 20)) {
            throw new IllegalArgumentException("diskBlocks must be in [64, 2^20]: " + diskBlocks);
        }
    }

    /** {@code hosts} hosts with the default LAN and disks (power cuts only). */
    public static SimulationConfig of(long seed, int hosts) {
        return new SimulationConfig(seed, hosts, DEFAULT_LINK, FaultPlan.POWER_CUTS, 2048, true);
    }

    public SimulationConfig withLinkFaults(LinkFaults value) {
        return new SimulationConfig(seed, hosts, value, diskFaults, diskBlocks, strict);
    }

    public SimulationConfig withDiskFaults(FaultPlan value) {
        return new SimulationConfig(seed, hosts, linkFaults, value, diskBlocks, strict);
    }

    public SimulationConfig withStrict(boolean value) {
        return new SimulationConfig(seed, hosts, linkFaults, diskFaults, diskBlocks, value);
    }
}
