package dev.libos.guest;

import dev.libos.api.device.BlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads a disk's GUID Partition Table (UEFI 2.10 section 5.3) without trusting it: the header's
 * signature, revision, size, CRC32 and own LBA, the usable range, the entry array's place, size
 * and CRC32, and every used entry (inside the usable range, no two overlapping) are checked with
 * overflow-safe arithmetic before anything is used. A primary header that fails is replaced by
 * the backup one in the disk's last block (5.3.2: firmware does the same). A table that fails
 * both ways is {@link Rejected} with the reason, and the disk is then left alone.
 *
 * <p>Field offsets are those of the plugin's {@code dev.libos.maven.disk.GptLayout}, which
 * documents the layout; the plugin writes these tables, the guest reads them.
 */
public final class GptPartitions {
    /** "EFI PART", read little-endian. */
    static final long SIGNATURE = 0x5452415020494645L;
    static final int MIN_HEADER_BYTES = 92;
    /** Bounds on the entry array (the specification allows more; no real table comes close). */
    static final int MAX_ENTRIES = 1024;
    static final int MAX_ENTRY_BYTES = 1024;
    static final int MAX_ARRAY_BYTES = 1 << 20;
    static final int NAME_OFFSET = 56;

    /**
     * Type GUID of the image's files partition (imagefs), as stored (mixed-endian) on disk; the
     * plugin's {@code GptLayout.FILES_TYPE}, 6C69626F-7366-494C-8553-000000000001.
     */
    public static final byte[] FILES_TYPE = HexFormat.of().parseHex("6F62696C66734C498553000000000001");
    /** Type GUID of the state partition (cowfs), 6C69626F-7366-494C-8553-000000000002. */
    public static final byte[] STATE_TYPE = HexFormat.of().parseHex("6F62696C66734C498553000000000002");

    /**
     * One used partition entry.
     *
     * @param index    its 1-based entry number
     * @param name     the name (UTF-16 up to the first NUL)
     * @param type     the type GUID's 16 bytes as stored
     * @param firstLba first block
     * @param lastLba  last block, inclusive
     */
    public record Partition(int index, String name, byte[] type, long firstLba, long lastLba) {
        /** Size in blocks. */
        public long blocks() {
            return lastLba - firstLba + 1;
        }

        /** Whether the type is {@code type} (16 bytes as stored). */
        public boolean hasType(byte[] expected) {
            return java.util.Arrays.equals(type, expected);
        }
    }

    /** What reading the table found. */
    public sealed interface Outcome permits Absent, Rejected, Found {
    }

    /** No GPT signature in either header: not a GPT disk. */
    public record Absent() implements Outcome {
    }

    /** A GPT that fails its checks: the reason names the field. */
    public record Rejected(String reason) implements Outcome {
    }

    /**
     * A valid table.
     *
     * @param partitions the used entries in table order
     * @param fromBackup true when the primary header failed and the backup one was used
     * @param primaryProblem why the primary failed, when it did
     */
    public record Found(List<Partition> partitions, boolean fromBackup, String primaryProblem) implements Outcome {
    }

    private GptPartitions() {
    }

    /** Reads the table of {@code disk}. */
    public static Outcome read(BlockDevice disk) throws IOException {
        if (disk.blockCount() < 3) {
            return new Absent();
        }
        ByteBuffer primary = block(disk, 1);
        String problem = primary.getLong(0) == SIGNATURE ? null : "no signature";
        if (problem == null) {
            Object parsed = parse(disk, primary, 1);
            if (parsed instanceof List<?> list) {
                return new Found(cast(list), false, null);
            }
            problem = (String) parsed;
        }
        long last = disk.blockCount() - 1;
        ByteBuffer backup = block(disk, last);
        if (backup.getLong(0) != SIGNATURE) {
            return "no signature".equals(problem) ? new Absent() : new Rejected("primary header: " + problem + "; no backup header");
        }
        Object parsed = parse(disk, backup, last);
        if (parsed instanceof List<?> list) {
            return new Found(cast(list), true, problem);
        }
        return new Rejected("primary header: " + problem + "; backup header: " + parsed);
    }

    @SuppressWarnings("unchecked")
    private static List<Partition> cast(List<?> list) {
        return (List<Partition>) list;
    }

    /** The partitions, or a String saying which check failed. */
    private static Object parse(BlockDevice disk, ByteBuffer h, long myLba) throws IOException {
        int blockSize = disk.blockSize();
        long blockCount = disk.blockCount();
        int revision = h.getInt(8);
        if ((revision >>> 16) != 1) {
            return "revision 0x" + Integer.toHexString(revision) + " is not 1.x";
        }
        int headerSize = h.getInt(12);
        if (headerSize < MIN_HEADER_BYTES || headerSize > blockSize) {
            return "header size " + Integer.toUnsignedString(headerSize) + " outside [" + MIN_HEADER_BYTES + ", " + blockSize + "]";
        }
        int storedCrc = h.getInt(16);
        byte[] header = new byte[headerSize];
        h.get(0, header);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0);
        if (crc(header) != storedCrc) {
            return "header CRC32 mismatch";
        }
        if (h.getLong(24) != myLba) {
            return "MyLBA " + Long.toUnsignedString(h.getLong(24)) + " is not " + myLba;
        }
        long firstUsable = h.getLong(40);
        long lastUsable = h.getLong(48);
        if (firstUsable < 2 || lastUsable < firstUsable || lastUsable >= blockCount - 1) {
            return "usable range " + Long.toUnsignedString(firstUsable) + ".." + Long.toUnsignedString(lastUsable)
                    + " not inside the disk's " + blockCount + " blocks";
        }
        long entriesLba = h.getLong(72);
        long count = Integer.toUnsignedLong(h.getInt(80));
        long entrySize = Integer.toUnsignedLong(h.getInt(84));
        if (entrySize < 128 || entrySize > MAX_ENTRY_BYTES || Long.bitCount(entrySize) != 1) {
            return "entry size " + entrySize + " is not 128 x 2^n up to " + MAX_ENTRY_BYTES;
        }
        if (count == 0 || count > MAX_ENTRIES || count * entrySize > MAX_ARRAY_BYTES) {
            return "entry count " + count + " outside [1, " + MAX_ENTRIES + "]";
        }
        long arrayBytes = count * entrySize;
        long arrayBlocks = (arrayBytes + blockSize - 1) / blockSize;
        // The array lies before the usable range (primary) or after it (backup), never in it,
        // never over the header, and inside the disk: entriesLba < blockCount - arrayBlocks
        // cannot overflow since both sides are in [0, blockCount].
        boolean before = entriesLba >= 2 && entriesLba <= firstUsable - arrayBlocks && entriesLba != myLba;
        boolean after = entriesLba > lastUsable && entriesLba <= blockCount - arrayBlocks
                && (myLba < entriesLba || myLba >= entriesLba + arrayBlocks);
        if (entriesLba < 0 || !(before || after)) {
            return "entry array at LBA " + Long.toUnsignedString(entriesLba) + " (" + arrayBlocks
                    + " blocks) overlaps the header or the usable range, or is outside the disk";
        }
        byte[] array = new byte[(int) (arrayBlocks * blockSize)];
        disk.read(entriesLba, MemorySegment.ofArray(array));
        CRC32 arrayCrc = new CRC32();
        arrayCrc.update(array, 0, (int) arrayBytes);
        if ((int) arrayCrc.getValue() != h.getInt(88)) {
            return "entry array CRC32 mismatch";
        }
        ByteBuffer entries = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int base = (int) (i * entrySize);
            byte[] type = new byte[16];
            entries.get(base, type);
            if (java.util.Arrays.equals(type, new byte[16])) {
                continue; // unused entry
            }
            long first = entries.getLong(base + 32);
            long last = entries.getLong(base + 40);
            if (first < firstUsable || last < first || last > lastUsable) {
                return "entry " + (i + 1) + ": blocks " + Long.toUnsignedString(first) + ".." + Long.toUnsignedString(last)
                        + " outside the usable range " + firstUsable + ".." + lastUsable;
            }
            Partition partition = new Partition(i + 1, name(entries, base), type, first, last);
            for (Partition other : partitions) {
                if (partition.firstLba() <= other.lastLba() && other.firstLba() <= partition.lastLba()) {
                    return "entries " + other.index() + " and " + partition.index() + " overlap";
                }
            }
            partitions.add(partition);
        }
        return List.copyOf(partitions);
    }

    private static String name(ByteBuffer entries, int base) {
        int units = 0;
        while (units < 36 && entries.getShort(base + NAME_OFFSET + 2 * units) != 0) {
            units++;
        }
        byte[] bytes = new byte[2 * units];
        entries.get(base + NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_16LE);
    }

    private static ByteBuffer block(BlockDevice disk, long lba) throws IOException {
        byte[] bytes = new byte[disk.blockSize()];
        disk.read(lba, MemorySegment.ofArray(bytes));
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
