package dev.libos.vfs.cowfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One block of a metadata chain: a stream (the index of a commit, or one inode group's
 * {@link MetadataCodec} stream) is cut into payloads and written to freshly allocated blocks
 * linked by {@code next}. Little-endian.
 *
 * <pre>
 *   0        4          8                  16                 24      28
 *   +--------+----------+------------------+------------------+-------+-----------------+
 *   | "CMET" | payload  | generation (u64) | next block (u64) | crc   | payload ...     |
 *   |        | length   |                  | 0 = last         |       | (length bytes)  |
 *   +--------+----------+------------------+------------------+-------+-----------------+
 * </pre>
 * {@code crc} is CRC32C of bytes [0, 24) then the payload. {@code generation} is the commit that
 * wrote the chain and must equal what the referrer expects (the superblock's generation for the
 * index chain, the index entry's for a group chain), so a block left over from another commit is
 * never taken for this one.
 */
public final class MetaBlockDescriptor {
    private MetaBlockDescriptor() {
    }

    public static final int MAGIC = 0x5445_4D43; // "CMET"
    public static final int MAGIC_OFFSET = 0;
    public static final int LENGTH_OFFSET = 4;
    public static final int GENERATION_OFFSET = 8;
    public static final int NEXT_OFFSET = 16;
    public static final int CRC_OFFSET = 24;
    public static final int HEADER_LENGTH = 28;

    public static int payloadCapacity(int blockSize) {
        return blockSize - HEADER_LENGTH;
    }

    public static byte[] encode(int blockSize, long generation, long next, byte[] stream, int from, int length) {
        ByteBuffer b = ByteBuffer.allocate(blockSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC_OFFSET, MAGIC).putInt(LENGTH_OFFSET, length).putLong(GENERATION_OFFSET, generation).putLong(NEXT_OFFSET, next);
        System.arraycopy(stream, from, b.array(), HEADER_LENGTH, length);
        b.putInt(CRC_OFFSET, crc(b.array(), length));
        return b.array();
    }

    /** A decoded block, or null with the reason in {@code why[0]}. */
    public record MetaBlock(long next, int length) {
    }

    public static MetaBlock decode(byte[] block, long generation, String[] why) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        int length = b.getInt(LENGTH_OFFSET);
        if (b.getInt(MAGIC_OFFSET) != MAGIC) {
            why[0] = "bad magic";
            return null;
        }
        if (length < 0 || length > payloadCapacity(block.length)) {
            why[0] = "payload length " + length + " out of range";
            return null;
        }
        if (b.getInt(CRC_OFFSET) != crc(block, length)) {
            why[0] = "checksum mismatch";
            return null;
        }
        if (b.getLong(GENERATION_OFFSET) != generation) {
            why[0] = "generation " + b.getLong(GENERATION_OFFSET) + " where " + generation + " was expected";
            return null;
        }
        return new MetaBlock(b.getLong(NEXT_OFFSET), length);
    }

    private static int crc(byte[] block, int length) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, CRC_OFFSET);
        crc.update(block, HEADER_LENGTH, length);
        return (int) crc.getValue();
    }
}
