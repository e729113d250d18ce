package dev.libos.vfs.cowfs;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The index stream of a commit (format version 2): where each inode group's metadata lives.
 * Inode {@code ino} belongs to group {@code ino / GROUP_SIZE}; each non-empty group is one
 * {@link MetadataCodec} stream of its live inodes, written to its own chain of
 * {@link MetaBlockDescriptor} blocks. A commit rewrites only the groups holding changed inodes
 * (plus this index); the other groups' chains stay where they are, still referenced. Little-endian.
 *
 * <pre>
 * index := count:u32 entry*                                   entries sorted by group, no repeats
 * entry := group:u32 generation:u64 first:u64 length:u32 crc:u32
 * </pre>
 * {@code generation} is the commit that wrote the group's chain (every block of that chain
 * carries it), {@code length}/{@code crc} the length and CRC32C of the group's stream.
 */
final class InodeGroupIndex {
    /** Inode numbers per group: small enough that a group's stream is a few blocks for small files. */
    static final int GROUP_SIZE = 256;
    static final int ENTRY_LENGTH = 28;

    private InodeGroupIndex() {
    }

    /**
     * Where one group's stream lives.
     *
     * @param blocks the chain's blocks in order (filled in at mount and at commit; not stored)
     */
    record GroupRef(long generation, long first, int length, int crc, long[] blocks) {
    }

    static long groupOf(long ino) {
        return ino / GROUP_SIZE;
    }

    static byte[] encode(Map<Long, GroupRef> groups) {
        ByteBuffer b = ByteBuffer.allocate(4 + groups.size() * ENTRY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(groups.size());
        for (Map.Entry<Long, GroupRef> e : groups.entrySet()) {
            GroupRef g = e.getValue();
            b.putInt((int) (long) e.getKey()).putLong(g.generation()).putLong(g.first()).putInt(g.length()).putInt(g.crc());
        }
        return b.array();
    }

    static TreeMap<Long, GroupRef> decode(byte[] stream) throws MetadataCodec.MalformedException {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int count = b.getInt();
            if (count < 0 || (long) count * ENTRY_LENGTH != b.remaining()) {
                throw new MetadataCodec.MalformedException("index of " + count + " groups in " + stream.length + " bytes");
            }
            TreeMap<Long, GroupRef> groups = new TreeMap<>();
            long previous = -1;
            for (int i = 0; i < count; i++) {
                long group = Integer.toUnsignedLong(b.getInt());
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
            return groups;
        } catch (BufferUnderflowException e) {
            throw new MetadataCodec.MalformedException("index ends inside an entry");
        }
    }
}
