package dev.libos.sim;

import dev.libos.hw.hosted.block.FaultInjectingBlockDevice;
import dev.libos.hw.hosted.block.FaultPlan;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.cowfs.CowFs;
import java.io.IOException;

/**
 * A host's disk: memory under a {@link FaultInjectingBlockDevice} (volatile write cache, power
 * cuts that keep, lose or tear unflushed blocks, bit flips, I/O errors; all from the seed),
 * formatted with cowfs once. It outlives the host's crashes: a restart mounts what the power
 * cut left.
 */
final class SimDisk {
    static final int BLOCK_SIZE = 4096;

    private final FaultInjectingBlockDevice device;

    SimDisk(String name, long blocks, FaultPlan plan, long seed) throws VfsException {
        MemoryBlockDevice medium = new MemoryBlockDevice(name, BLOCK_SIZE, blocks);
        CowFs.mkfs(medium);
        this.device = new FaultInjectingBlockDevice(medium, plan, seed);
    }

    CowFs mount() throws VfsException {
        return CowFs.mount(device);
    }

    void powerCut() throws IOException {
        device.powerCut();
    }

    void powerOn() {
        device.powerOn();
    }

    FaultInjectingBlockDevice device() {
        return device;
    }
}
