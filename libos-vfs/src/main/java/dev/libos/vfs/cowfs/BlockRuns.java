package dev.libos.vfs.cowfs;

import dev.libos.api.device.BlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * The writes of one commit, sent to the device as runs: blocks written one after another at
 * consecutive block numbers (what the next-fit allocator hands out) go down in one device
 * request of up to {@link #MAX_RUN_BLOCKS} blocks instead of one request per block. Order within
 * a commit does not matter: nothing is ordered before the commit's flush (see {@link CowFs}), and
 * a cut may keep any part of a multi-block request, as of single ones.
 */
final class BlockRuns {
    /** Longest run in one request (256 KiB with 4 KiB blocks). */
    static final int MAX_RUN_BLOCKS = 64;

    private final BlockDevice device;
    private final int blockSize;
    /** Allocated at the first write: a mounted file system that never commits holds no buffer. */
    private byte[] run;
    private long first = -1;
    private int length;
    private long requests;

    BlockRuns(BlockDevice device) {
        this.device = device;
        this.blockSize = device.blockSize();
    }

    /** Queues {@code bytes} (one block) for device block {@code block}; may write the run before it. */
    void write(long block, byte[] bytes) throws IOException {
        if (length > 0 && (block != first + length || length == MAX_RUN_BLOCKS)) {
            finish();
        }
        if (length == 0) {
            first = block;
        }
        if (run == null) {
            run = new byte[MAX_RUN_BLOCKS * blockSize];
        }
        System.arraycopy(bytes, 0, run, length * blockSize, blockSize);
        length++;
    }

    /** Drops what is queued (a commit that failed before writing it). */
    void reset() {
        length = 0;
    }

    /** Writes what is queued. */
    void finish() throws IOException {
        if (length == 0) {
            return;
        }
        device.write(first, MemorySegment.ofArray(run).asSlice(0, (long) length * blockSize));
        requests++;
        length = 0;
    }

    /** Device requests made so far. */
    long requests() {
        return requests;
    }
}
