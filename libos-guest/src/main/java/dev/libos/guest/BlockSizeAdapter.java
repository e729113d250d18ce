package dev.libos.guest;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.BlockRange;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A device of small blocks (512-byte sectors) seen in larger blocks (the file systems' 4 KiB):
 * block k is device blocks [k * ratio, (k + 1) * ratio). A trailing partial block is not
 * exposed. Reads and writes pass through whole, so a multi-block transfer stays one call.
 */
public final class BlockSizeAdapter implements BlockDevice {
    private final BlockDevice device;
    private final int blockSize;
    private final long ratio;

    private BlockSizeAdapter(BlockDevice device, int blockSize) {
        this.device = device;
        this.blockSize = blockSize;
        this.ratio = blockSize / device.blockSize();
    }

    /**
     * {@code device} in blocks of {@code blockSize}; {@code device} itself when its blocks are that size.
     *
     * @throws IllegalArgumentException when the device's block size does not divide {@code blockSize}
     */
    public static BlockDevice of(BlockDevice device, int blockSize) {
        if (device.blockSize() == blockSize) {
            return device;
        }
        if (device.blockSize() > blockSize || blockSize % device.blockSize() != 0) {
            throw new IllegalArgumentException(device.name() + ": blocks of " + device.blockSize()
                    + " bytes cannot be grouped into blocks of " + blockSize);
        }
        return new BlockSizeAdapter(device, blockSize);
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return device.blockCount() / ratio;
    }

    @Override
    public void read(long block, MemorySegment dst) throws IOException {
        BlockRange.check(this, block, dst);
        device.read(block * ratio, dst);
    }

    @Override
    public void write(long block, MemorySegment src) throws IOException {
        BlockRange.check(this, block, src);
        device.write(block * ratio, src);
    }

    @Override
    public void flush() throws IOException {
        device.flush();
    }
}
