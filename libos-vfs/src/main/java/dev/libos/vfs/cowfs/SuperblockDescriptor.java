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
 * <p><b>Seal.</b> Bytes [64, 84) of a slot may hold the seal of the commit in the <em>other</em>
 * slot: {@code sealMagic "LIBOSEAL" (u64) | sealed generation (u64) | CRC32C of [64, 80) (u32)}.
 * The commit protocol (see {@link CowFs}) writes commit {@code g} and its superblock with one
 * device flush, and only after that flush returns writes the seal of {@code g} into slot
 * {@code (g + 1) % 2}, over the superblock of {@code g - 1}, which is no longer needed (its
 * bytes [0, 64) are rewritten unchanged, so the previous commit stays mountable). A sealed commit
 * is known to be complete; an unsealed one may have been cut before its flush, and mount verifies
 * every block it wrote ({@link CowImage#select}).
 *
 * <p>Version 3 (one flush per commit, sealed). Version 2 (two flushes per commit: every version 2
 * commit is complete, so it counts as sealed) is still read, and the next commit writes version
 * 3. A version 2 reader must not mount version 3: it would trust an unsealed commit without
 * verifying it, which is why the version changed. Version 1 (one metadata stream of every inode)
 * is refused with a message saying so; there is no migration.
 */
public final class SuperblockDescriptor {
    private SuperblockDescriptor() {
    }

    public static final long MAGIC = 0x574F_4353_4F42_494CL; // "LIBOSCOW" little-endian
    public static final int VERSION = 3;
    /** The version whose commits were all written with two flushes (complete: sealed by definition). */
    public static final int VERSION_TWO_FLUSHES = 2;
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
    public static final int SEAL_OFFSET = 64;
    public static final long SEAL_MAGIC = 0x4C41_4553_534F_4249L; // "LIBOSEAL" little-endian
    private static final int SEAL_GENERATION_OFFSET = 72;
    private static final int SEAL_CRC_OFFSET = 80;
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
        int version = b.getInt(VERSION_OFFSET);
        if (version != VERSION && version != VERSION_TWO_FLUSHES) {
            why[0] = "unsupported format version " + version + " (this cowfs reads versions " + VERSION_TWO_FLUSHES + " and "
                    + VERSION + " only; no migration: copy the files onto a fresh mkfs)";
            return null;
        }
        return new Superblock(b.getInt(BLOCK_SIZE_OFFSET), b.getLong(BLOCK_COUNT_OFFSET), b.getLong(GENERATION_OFFSET),
                b.getLong(INDEX_FIRST_OFFSET), b.getLong(INDEX_LENGTH_OFFSET), b.getInt(INDEX_CRC_OFFSET), b.getLong(NEXT_INO_OFFSET));
    }

    /** True when {@code block} (a valid superblock) is of the two-flush version, whose commits are all complete. */
    public static boolean completeByVersion(byte[] block) {
        return ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).getInt(VERSION_OFFSET) == VERSION_TWO_FLUSHES;
    }

    /**
     * {@code otherSlot} (the current contents of the slot that does not hold commit
     * {@code generation}) with the seal of {@code generation} in bytes [64, 84); every other byte
     * unchanged.
     */
    public static byte[] withSeal(byte[] otherSlot, long generation) {
        byte[] sealed = otherSlot.clone();
        ByteBuffer b = ByteBuffer.wrap(sealed).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(SEAL_OFFSET, SEAL_MAGIC).putLong(SEAL_GENERATION_OFFSET, generation);
        b.putInt(SEAL_CRC_OFFSET, sealCrc(sealed));
        return sealed;
    }

    /** True when {@code otherSlot} holds the seal of commit {@code generation}. */
    public static boolean seals(byte[] otherSlot, long generation) {
        ByteBuffer b = ByteBuffer.wrap(otherSlot).order(ByteOrder.LITTLE_ENDIAN);
        return b.getLong(SEAL_OFFSET) == SEAL_MAGIC && b.getLong(SEAL_GENERATION_OFFSET) == generation
                && b.getInt(SEAL_CRC_OFFSET) == sealCrc(otherSlot);
    }

    private static int sealCrc(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block, SEAL_OFFSET, SEAL_CRC_OFFSET - SEAL_OFFSET);
        return (int) crc.getValue();
    }

    private static int crc(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
