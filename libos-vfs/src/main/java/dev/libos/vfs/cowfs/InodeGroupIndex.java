package dev.libos.vfs.cowfs;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The index stream of a commit (format version 2): where each inode's metadata lives.
 * An inode is either in the shared group {@code ino / groupSize} (group size fixed at mkfs) or,
 * when its record is large (a big directory or file), alone in a solo group keyed
 * {@code SOLO_BASE + ino}, so that a small change next to it does not rewrite it. Each group is
 * one {@link MetadataCodec} stream of its live inodes (a solo group: exactly its inode), written
 * to its own chain of {@link MetaBlockDescriptor} blocks; empty groups are left out. Which
 * inodes go solo is the writer's choice (records over {@link #SOLO_RECORD_BYTES} bytes); the
 * reader accepts either placement, but never both for one inode. A commit rewrites only the groups holding changed inodes
 * (plus this index); the other groups' chains stay where they are, still referenced. Little-endian.
 *
 * <pre>
 * index := groupSize:u32 count:u32 entry*                     entries sorted by group, no repeats
 * entry := key:u64 generation:u64 first:u64 length:u32 crc:u32      key: group, or SOLO_BASE + ino
 * </pre>
 * {@code generation} is the commit that wrote the group's chain (every block of that chain
 * carries it), {@code length}/{@code crc} the length and CRC32C of the group's stream.
 */
final class InodeGroupIndex {
    /** Inode numbers per group by default: a group of small files is a few 4 KiB blocks. */
    static final int DEFAULT_GROUP_SIZE = 256;
    static final int MAX_GROUP_SIZE = 1 << 20;
    /** Keys from here on are solo groups of one inode each: {@code SOLO_BASE + ino}. */
    static final long SOLO_BASE = 1L << 62;
    /**
     * Records larger than this go solo. It bounds a shared group's stream
     * (group size x this: 64 KiB by default) and keeps the index small next to the metadata it
     * indexes (an entry per solo inode, whose record is at least 8 times larger).
     */
    static final int SOLO_RECORD_BYTES = 256;
    static final int ENTRY_LENGTH = 32;

    private InodeGroupIndex() {
    }

    /**
     * Where one group's stream lives.
     *
     * @param blocks the chain's blocks in order (filled in at mount and at commit; not stored)
     */
    record GroupRef(long generation, long first, int length, int crc, long[] blocks) {
    }

    /** A decoded index. */
    record Index(int groupSize, TreeMap<Long, GroupRef> groups) {
    }

    static byte[] encode(int groupSize, Map<Long, GroupRef> groups) {
        ByteBuffer b = ByteBuffer.allocate(8 + groups.size() * ENTRY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(groupSize).putInt(groups.size());
        for (Map.Entry<Long, GroupRef> e : groups.entrySet()) {
            GroupRef g = e.getValue();
            b.putLong(e.getKey()).putLong(g.generation()).putLong(g.first()).putInt(g.length()).putInt(g.crc());
        }
        return b.array();
    }

    static Index decode(byte[] stream) throws MetadataCodec.MalformedException {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int groupSize = b.getInt();
            if (groupSize < 1 || groupSize > MAX_GROUP_SIZE) {
                throw new MetadataCodec.MalformedException("group size " + groupSize);
            }
            int count = b.getInt();
            if (count < 0 || (long) count * ENTRY_LENGTH != b.remaining()) {
                throw new MetadataCodec.MalformedException("index of " + count + " groups in " + stream.length + " bytes");
            }
            TreeMap<Long, GroupRef> groups = new TreeMap<>();
            long previous = -1;
            for (int i = 0; i < count; i++) {
                long group = b.getLong();
                GroupRef ref = new GroupRef(b.getLong(), b.getLong(), b.getInt(), b.getInt(), null);
                if (group <= previous) {
                    throw new MetadataCodec.MalformedException("index entries out of order at group " + group);
                }
                if (ref.length() < 0) {
                    throw new MetadataCodec.MalformedException("group " + group + " has length " + ref.length());
                }
                previous = group;
                groups.put(group, ref);
            }
            return new Index(groupSize, groups);
        } catch (BufferUnderflowException e) {
            throw new MetadataCodec.MalformedException("index ends inside an entry");
        }
    }
}
