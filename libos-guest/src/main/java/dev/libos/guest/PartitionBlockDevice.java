package dev.libos.guest;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.BlockRange;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * One partition of a disk as a block device of its own: block k is the disk's block
 * {@code firstBlock + k}, for k in {@code [0, blocks)}. Every transfer is checked against the
 * partition ({@link BlockRange}) before it reaches the disk, so a file system on one partition
 * cannot touch another.
 */
public final class PartitionBlockDevice implements BlockDevice {
    private final BlockDevice disk;
    private final String name;
    private final long firstBlock;
    private final long blocks;

    /**
     * @throws IllegalArgumentException when the range is not inside the disk
     */
    public PartitionBlockDevice(BlockDevice disk, String name, long firstBlock, long blocks) {
        if (firstBlock < 0 || blocks < 1 || blocks > disk.blockCount() || firstBlock > disk.blockCount() - blocks) {
            throw new IllegalArgumentException(name + ": blocks [" + firstBlock + ", +" + blocks + ") not inside "
                    + disk.name() + "'s " + disk.blockCount() + " blocks");
        }
        this.disk = disk;
        this.name = name;
        this.firstBlock = firstBlock;
        this.blocks = blocks;
    }

    /** The disk the partition is on. */
    public BlockDevice disk() {
        return disk;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int blockSize() {
        return disk.blockSize();
    }

    @Override
    public long blockCount() {
        return blocks;
    }

    @Override
    public void read(long block, MemorySegment dst) throws IOException {
        BlockRange.check(this, block, dst);
        disk.read(firstBlock + block, dst);
    }

    @Override
    public void write(long block, MemorySegment src) throws IOException {
        BlockRange.check(this, block, src);
        disk.write(firstBlock + block, src);
    }

    @Override
    public void flush() throws IOException {
        disk.flush();
    }
}
