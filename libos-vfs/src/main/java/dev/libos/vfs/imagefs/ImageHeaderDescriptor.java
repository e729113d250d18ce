package dev.libos.vfs.imagefs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Block 0 of a read-only image. Little-endian.
 *
 * <pre>
 *   0                   8         12        16                  24
 *   +-------------------+---------+---------+-------------------+
 *   | magic "LIBOSIMG"  | version | blkSize | totalBlocks (u64) |
 *   +-------------------+---------+---------+-------------------+
 *  24 | tableBlock (u64)  | tableLength (u64) | tableCrc| crc     |
 *   +-------------------+-------------------+---------+---------+
 *   24                  32                  40        44        48
 * </pre>
 * Layout: header (block 0), file data (each file in consecutive blocks, zero-padded), then the
 * inode table ({@link ImageTableCodec}) from {@code tableBlock} for {@code tableLength} bytes.
 * {@code crc} is CRC32C of bytes [0, 44); {@code tableCrc} covers the table bytes.
 */
public final class ImageHeaderDescriptor {
    private ImageHeaderDescriptor() {
    }

    public static final long MAGIC = 0x474D_4953_4F42_494CL; // "LIBOSIMG" little-endian
    public static final int VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int BLOCK_SIZE_OFFSET = 12;
    public static final int TOTAL_BLOCKS_OFFSET = 16;
    public static final int TABLE_BLOCK_OFFSET = 24;
    public static final int TABLE_LENGTH_OFFSET = 32;
    public static final int TABLE_CRC_OFFSET = 40;
    public static final int CRC_OFFSET = 44;

    public record Header(int blockSize, long totalBlocks, long tableBlock, long tableLength, int tableCrc) {
    }

    public static void encode(Header h, byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(BLOCK_SIZE_OFFSET, h.blockSize())
                .putLong(TOTAL_BLOCKS_OFFSET, h.totalBlocks()).putLong(TABLE_BLOCK_OFFSET, h.tableBlock())
                .putLong(TABLE_LENGTH_OFFSET, h.tableLength()).putInt(TABLE_CRC_OFFSET, h.tableCrc());
        b.putInt(CRC_OFFSET, crc(block));
    }

    /** The header, or null with the reason in {@code why[0]}. */
    public static Header decode(byte[] block, String[] why) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(MAGIC_OFFSET) != MAGIC) {
            why[0] = "bad magic (not a libos image)";
            return null;
        }
        if (b.getInt(CRC_OFFSET) != crc(block)) {
            why[0] = "header checksum mismatch";
            return null;
        }
        if (b.getInt(VERSION_OFFSET) != VERSION) {
            why[0] = "unsupported version " + b.getInt(VERSION_OFFSET);
            return null;
        }
        return new Header(b.getInt(BLOCK_SIZE_OFFSET), b.getLong(TOTAL_BLOCKS_OFFSET), b.getLong(TABLE_BLOCK_OFFSET),
                b.getLong(TABLE_LENGTH_OFFSET), b.getInt(TABLE_CRC_OFFSET));
    }

    static int crc(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
