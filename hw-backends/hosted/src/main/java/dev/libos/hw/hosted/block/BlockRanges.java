package dev.libos.hw.hosted.block;

import java.lang.foreign.MemorySegment;

/** Argument checks shared by the hosted block devices: misuse is IllegalArgumentException naming the value. */
final class BlockRanges {
    private BlockRanges() {
    }

    /** Returns the number of blocks {@code buffer} covers at {@code block}, checking alignment and range. */
    static int check(String device, int blockSize, long blockCount, long block, MemorySegment buffer) {
        long bytes = buffer.byteSize();
        if (bytes % blockSize != 0) {
            throw new IllegalArgumentException(device + ": buffer of " + bytes + " bytes is not a multiple of the block size " + blockSize);
        }
        long blocks = bytes / blockSize;
        if (block < 0 || block + blocks > blockCount) {
            throw new IllegalArgumentException(device + ": blocks [" + block + ", " + (block + blocks) + ") outside [0, " + blockCount + ")");
        }
        return (int) blocks;
    }

    static void checkGeometry(int blockSize, long blockCount) {
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two of at least 512: " + blockSize);
        }
        if (blockCount < 1) {
            throw new IllegalArgumentException("block count must be positive: " + blockCount);
        }
    }
}
