package dev.libos.api.device;

import java.lang.foreign.MemorySegment;

/**
 * The argument checks of a {@link BlockDevice}, written once for every implementation. A
 * transfer of {@code bytes} at {@code block} is valid when {@code bytes} is a positive multiple
 * of the block size and blocks {@code [block, block + bytes / blockSize)} lie inside
 * {@code [0, blockCount)}. The range test never computes {@code block + blocks} (which a block
 * number near {@code Long.MAX_VALUE} would overflow into a negative, passing range): it compares
 * {@code block} with {@code blockCount - blocks}, which cannot overflow since both are in
 * {@code [0, blockCount]}.
 *
 * <p>Misuse (a bad length, a range outside the device) is a programming error or a hostile
 * block number read from a disk; both are {@link IllegalArgumentException} naming the device,
 * the first block, the block count and the capacity. File systems validate block numbers
 * before they get here; this check is the last line.
 */
public final class BlockRange {
    /** The smallest block size: one 512-byte sector. */
    public static final int MIN_BLOCK_SIZE = 512;

    private BlockRange() {
    }

    /**
     * The number of blocks a transfer of {@code bytes} bytes at {@code block} covers.
     *
     * @throws IllegalArgumentException when {@code bytes} is not a positive multiple of
     *         {@code blockSize}, or the blocks are not all inside {@code [0, blockCount)}
     */
    public static long check(String device, int blockSize, long blockCount, long block, long bytes) {
        if (bytes <= 0 || bytes % blockSize != 0) {
            throw new IllegalArgumentException(device + ": transfer of " + bytes + " bytes is not a positive multiple of the block size "
                    + blockSize);
        }
        long blocks = bytes / blockSize;
        if (block < 0 || blocks > blockCount || block > blockCount - blocks) {
            throw new IllegalArgumentException(device + ": " + blocks + " blocks at block " + block + " (blocks [" + block + ", "
                    + end(block, blocks) + ")) outside the device's " + blockCount + " blocks [0, " + blockCount + ")");
        }
        return blocks;
    }

    /** {@link #check(String, int, long, long, long)} for a transfer of {@code buffer} on {@code device}. */
    public static long check(BlockDevice device, long block, MemorySegment buffer) {
        return check(device.name(), device.blockSize(), device.blockCount(), block, buffer.byteSize());
    }

    /** The end of the range for a message: the sum when it fits, else a note that it overflows. */
    private static String end(long block, long blocks) {
        return block > Long.MAX_VALUE - blocks ? "past 2^63" : Long.toString(block + blocks);
    }

    /**
     * Checks a device's geometry: a block size that is a power of two of at least
     * {@value #MIN_BLOCK_SIZE}, a positive block count, and a capacity in bytes that fits a long
     * (so {@code block * blockSize} of any valid block cannot overflow).
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static void checkGeometry(String device, int blockSize, long blockCount) {
        if (blockSize < MIN_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException(device + ": block size must be a power of two of at least " + MIN_BLOCK_SIZE + ": "
                    + blockSize);
        }
        if (blockCount < 1 || blockCount > Long.MAX_VALUE / blockSize) {
            throw new IllegalArgumentException(device + ": block count must be in [1, " + Long.MAX_VALUE / blockSize + "]: " + blockCount);
        }
    }
}
