package dev.libos.vfs.cowfs;

import java.util.BitSet;

/**
 * Free space of cowfs, derived at mount from the last commit (no bitmap on disk).
 *
 * <p>Protocol rule (copy-on-write): a block is allocatable only when neither the live state
 * ({@link #inUse}) nor the last durable commit ({@link #committed}) references it. A block the
 * live state dropped therefore stays untouched until the next commit is durable, so a power cut
 * before then still finds the previous commit whole.
 */
final class BlockAllocator {
    private final long blockCount;
    private final BitSet inUse;
    private BitSet committed;
    private int cursor;

    BlockAllocator(long blockCount, BitSet used) {
        this.blockCount = blockCount;
        this.inUse = (BitSet) used.clone();
        this.committed = (BitSet) used.clone();
        this.cursor = SuperblockDescriptor.SLOTS;
    }

    /** A free block, marked in use; -1 when none is left. */
    long allocate() {
        for (int pass = 0; pass < 2; pass++) {
            int from = pass == 0 ? cursor : SuperblockDescriptor.SLOTS;
            int block = from;
            while (block < blockCount) {
                int a = inUse.nextClearBit(block);
                int b = committed.nextClearBit(block);
                if (a == b) {
                    block = a;
                    break;
                }
                block = Math.max(a, b);
            }
            if (block < blockCount) {
                inUse.set(block);
                cursor = block + 1;
                return block;
            }
        }
        return -1;
    }

    void release(long block) {
        if (block != 0) {
            inUse.clear((int) block);
        }
    }

    /** Blocks neither live nor committed. */
    long free() {
        BitSet either = (BitSet) inUse.clone();
        either.or(committed);
        return blockCount - either.cardinality();
    }

    /**
     * A commit became durable and every block it no longer references was released: the blocks
     * in use now (a superset of what it references) become the protected set.
     */
    void committedLive() {
        committed = (BitSet) inUse.clone();
    }
}
