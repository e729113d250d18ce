package dev.libos.maven.disk;

import static dev.libos.maven.disk.GptLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a protective MBR and both GPT copies ({@link GptLayout}) for a disk of a given size.
 * Partitions must lie in the usable range and not overlap; the caller writes their content.
 */
public final class GptWriter {
    private GptWriter() {
    }

    /** The last LBA of a disk of {@code diskBytes}. */
    public static long lastLba(long diskBytes) {
        return diskBytes / SECTOR_BYTES - 1;
    }

    /** The last sector a partition may use on a disk of {@code diskBytes}. */
    public static long lastUsableLba(long diskBytes) {
        return lastLba(diskBytes) - ENTRY_ARRAY_SECTORS - 1;
    }

    /**
     * Writes the tables for {@code partitions} into {@code disk}, whose size is {@code diskBytes}
     * (a multiple of 512).
     *
     * @throws IllegalArgumentException when a partition is outside the usable range or two overlap
     */
    public static void write(FileChannel disk, long diskBytes, Guid diskGuid, List<GptPartition> partitions) throws IOException {
        if (diskBytes % SECTOR_BYTES != 0 || diskBytes < (FIRST_USABLE_LBA + ENTRY_ARRAY_SECTORS + 2) * SECTOR_BYTES) {
            throw new IllegalArgumentException("disk size " + diskBytes + " is not a multiple of 512 large enough for GPT");
        }
        if (partitions.size() > ENTRY_COUNT) {
            throw new IllegalArgumentException("at most " + ENTRY_COUNT + " partitions");
        }
        long last = lastLba(diskBytes);
        long lastUsable = lastUsableLba(diskBytes);
        for (int i = 0; i < partitions.size(); i++) {
            GptPartition p = partitions.get(i);
            if (p.lastLba() > lastUsable) {
                throw new IllegalArgumentException("partition " + p.name() + " ends at LBA " + p.lastLba()
                        + ", after the last usable LBA " + lastUsable);
            }
            for (int j = 0; j < i; j++) {
                GptPartition q = partitions.get(j);
                if (p.firstLba() <= q.lastLba() && q.firstLba() <= p.lastLba()) {
                    throw new IllegalArgumentException("partitions " + q.name() + " and " + p.name() + " overlap");
                }
            }
        }
        ByteBuffer entries = le(ENTRY_COUNT * ENTRY_BYTES);
        for (int i = 0; i < partitions.size(); i++) {
            GptPartition p = partitions.get(i);
            int base = i * ENTRY_BYTES;
            entries.put(base + E_TYPE, p.type().toBytes());
            entries.put(base + E_UNIQUE, p.unique().toBytes());
            entries.putLong(base + E_FIRST_LBA, p.firstLba());
            entries.putLong(base + E_LAST_LBA, p.lastLba());
            entries.putLong(base + E_ATTRIBUTES, 0);
            for (int c = 0; c < p.name().length(); c++) {
                entries.putShort(base + E_NAME + 2 * c, (short) p.name().charAt(c));
            }
        }
        int entriesCrc = crc(entries.array(), 0, entries.capacity());
        writeAt(disk, protectiveMbr(last), 0);
        writeAt(disk, header(1, last, 2, lastUsable, diskGuid, entriesCrc), SECTOR_BYTES);
        writeAt(disk, entries.array(), 2L * SECTOR_BYTES);
        long backupEntries = last - ENTRY_ARRAY_SECTORS;
        writeAt(disk, entries.array(), backupEntries * SECTOR_BYTES);
        writeAt(disk, header(last, 1, backupEntries, lastUsable, diskGuid, entriesCrc), last * SECTOR_BYTES);
    }

    private static byte[] protectiveMbr(long lastLba) {
        ByteBuffer mbr = le(SECTOR_BYTES);
        int record = 446;
        mbr.put(record, (byte) 0);                    // not bootable
        mbr.put(record + 1, (byte) 0x00).put(record + 2, (byte) 0x02).put(record + 3, (byte) 0x00); // CHS of LBA 1
        mbr.put(record + 4, (byte) 0xEE);             // GPT protective
        mbr.put(record + 5, (byte) 0xFF).put(record + 6, (byte) 0xFF).put(record + 7, (byte) 0xFF);
        mbr.putInt(record + 8, 1);
        mbr.putInt(record + 12, (int) Math.min(lastLba, 0xFFFFFFFFL));
        mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        return mbr.array();
    }

    private static byte[] header(long myLba, long alternateLba, long entriesLba, long lastUsable, Guid diskGuid, int entriesCrc) {
        ByteBuffer h = le(SECTOR_BYTES);
        h.putLong(H_SIGNATURE, SIGNATURE);
        h.putInt(H_REVISION, REVISION);
        h.putInt(H_SIZE, HEADER_BYTES);
        h.putLong(H_MY_LBA, myLba);
        h.putLong(H_ALTERNATE_LBA, alternateLba);
        h.putLong(H_FIRST_USABLE, FIRST_USABLE_LBA);
        h.putLong(H_LAST_USABLE, lastUsable);
        h.put(H_DISK_GUID, diskGuid.toBytes());
        h.putLong(H_ENTRIES_LBA, entriesLba);
        h.putInt(H_ENTRY_COUNT, ENTRY_COUNT);
        h.putInt(H_ENTRY_SIZE, ENTRY_BYTES);
        h.putInt(H_ENTRIES_CRC, entriesCrc);
        h.putInt(H_CRC, crc(h.array(), 0, HEADER_BYTES));
        return h.array();
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void writeAt(FileChannel channel, byte[] bytes, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }
}
