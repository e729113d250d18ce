package dev.libos.vfs.cowfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The superblock of cowfs. Two copies live in blocks 0 and 1; commit {@code g} writes slot
 * {@code g % 2}, so the other slot always holds the previous commit. Mount takes the valid copy
 * (magic, version, checksum, geometry) with the highest generation. Little-endian.
 *
 * <pre>
 *   0                   8         12        16
 *   +-------------------+---------+---------+
 *   | magic "LIBOSCOW"  | version | blkSize |
 *   +-------------------+---------+---------+-------------------+
 *  16 | blockCount (u64)  | generation (u64)  | indexFirst (u64)  |
 *   +-------------------+-------------------+-------------------+
 *  40 | indexLength (u64) | indexCrc| nextIno (u64)     | crc   |
 *   +-------------------+---------+-------------------+-------+
 *   40                  48        52                  60      64
 * </pre>
 * {@code crc} is CRC32C of bytes [0, 60). {@code indexFirst}/{@code indexLength}/{@code indexCrc}
 * locate and check the index stream ({@link InodeGroupIndex}) in its chain of
 * {@link MetaBlockDescriptor} blocks, which says where each inode group's metadata is.
 *
 * <p>Version 2 (incremental commits: inode groups plus an index). Version 1 (one metadata stream
 * of every inode) is refused with a message saying so; there is no migration.
 */
public final class SuperblockDescriptor {
    private SuperblockDescriptor() {
    }

    public static final long MAGIC = 0x574F_4353_4F42_494CL; // "LIBOSCOW" little-endian
    public static final int VERSION = 2;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int BLOCK_SIZE_OFFSET = 12;
    public static final int BLOCK_COUNT_OFFSET = 16;
    public static final int GENERATION_OFFSET = 24;
    public static final int INDEX_FIRST_OFFSET = 32;
    public static final int INDEX_LENGTH_OFFSET = 40;
    public static final int INDEX_CRC_OFFSET = 48;
    public static final int NEXT_INO_OFFSET = 52;
    public static final int CRC_OFFSET = 60;
    public static final int LENGTH = 64;
    /** Superblock copies occupy blocks 0 and 1; data and metadata start at block 2. */
    public static final int SLOTS = 2;

    /** A decoded superblock. */
    public record Superblock(int blockSize, long blockCount, long generation, long indexFirst, long indexLength,
            int indexCrc, long nextIno) {
    }

    public static byte[] encode(Superblock sb, int blockSize) {
        ByteBuffer b = ByteBuffer.allocate(blockSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(BLOCK_SIZE_OFFSET, sb.blockSize())
                .putLong(BLOCK_COUNT_OFFSET, sb.blockCount()).putLong(GENERATION_OFFSET, sb.generation())
                .putLong(INDEX_FIRST_OFFSET, sb.indexFirst()).putLong(INDEX_LENGTH_OFFSET, sb.indexLength())
                .putInt(INDEX_CRC_OFFSET, sb.indexCrc()).putLong(NEXT_INO_OFFSET, sb.nextIno());
        b.putInt(CRC_OFFSET, crc(b.array()));
        return b.array();
    }

    /** The superblock in {@code block}, or null with the reason in {@code why[0]} when it is not valid. */
    public static Superblock decode(byte[] block, String[] why) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(MAGIC_OFFSET) != MAGIC) {
            why[0] = "bad magic";
            return null;
        }
        if (b.getInt(CRC_OFFSET) != crc(block)) {
            why[0] = "checksum mismatch";
            return null;
        }
        if (b.getInt(VERSION_OFFSET) != VERSION) {
            why[0] = "unsupported format version " + b.getInt(VERSION_OFFSET) + " (this cowfs reads version " + VERSION
                    + " only; no migration: copy the files onto a fresh mkfs)";
            return null;
        }
        return new Superblock(b.getInt(BLOCK_SIZE_OFFSET), b.getLong(BLOCK_COUNT_OFFSET), b.getLong(GENERATION_OFFSET),
                b.getLong(INDEX_FIRST_OFFSET), b.getLong(INDEX_LENGTH_OFFSET), b.getInt(INDEX_CRC_OFFSET), b.getLong(NEXT_INO_OFFSET));
    }

    private static int crc(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
