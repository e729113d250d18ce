package dev.libos.vfs.cowfs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clean data blocks cowfs read or wrote last, by device block number, least recently used
 * evicted first. Copy-on-write makes this simple: a referenced device block never changes, so an
 * entry stays right until its block is released; {@link #forget} is called then, and
 * {@link #remember} when a commit writes a block. Entries are checksum-verified bytes (read and
 * checked, or written by us), so a hit skips both the device read and the CRC32C.
 *
 * <p>The arrays handed out are shared: callers must not change them (CowInode copies a block
 * before it turns dirty). Not thread-safe: cowfs is serialised by the VFS mount lock.
 */
final class BlockCache {
    private final int capacityBlocks;
    private final LinkedHashMap<Long, byte[]> blocks;
    private long hits;
    private long misses;

    /** A cache of at most {@code capacityBlocks} blocks; 0 disables it. */
    BlockCache(int capacityBlocks) {
        if (capacityBlocks < 0) {
            throw new IllegalArgumentException("cache capacity must not be negative: " + capacityBlocks);
        }
        this.capacityBlocks = capacityBlocks;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > BlockCache.this.capacityBlocks;
            }
        };
    }

    /** The cached bytes of device block {@code block}, or null. */
    byte[] get(long block) {
        byte[] bytes = blocks.get(block);
        if (bytes == null) {
            misses++;
        } else {
            hits++;
        }
        return bytes;
    }

    /** Remembers {@code bytes} (which the caller no longer changes) as device block {@code block}. */
    void remember(long block, byte[] bytes) {
        if (capacityBlocks > 0) {
            blocks.put(block, bytes);
        }
    }

    /** Drops device block {@code block}: it was released and may be reused for other contents. */
    void forget(long block) {
        blocks.remove(block);
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    int size() {
        return blocks.size();
    }
}
