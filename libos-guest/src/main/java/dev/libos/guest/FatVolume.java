package dev.libos.guest;

import dev.libos.api.device.BlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A read-only FAT32 volume (Microsoft's FAT specification 1.03) on a disk of 512-byte sectors,
 * just enough to read the files in its root directory: a NoCloud configuration volume
 * ({@link NoCloudBootHook}). Nothing on the disk is trusted: the boot sector's fields are checked
 * against each other and the disk's size with long arithmetic, every cluster number against the
 * volume, every chain is bounded by the cluster count (no loops), file sizes by the caller's
 * limit; a violation is an {@link IOException} naming the field. FAT12/16 volumes are not read
 * ({@link #open} says so).
 */
public final class FatVolume {
    static final int SECTOR = 512;
    private static final int END_OF_CHAIN = 0x0FFFFFF8;

    private final BlockDevice disk;
    private final int sectorsPerCluster;
    private final long fatStart;
    private final long dataStart;
    private final long clusters;
    private final int rootCluster;
    private final String bootLabel;

    private FatVolume(BlockDevice disk, int sectorsPerCluster, long fatStart, long dataStart, long clusters, int rootCluster,
                      String bootLabel) {
        this.disk = disk;
        this.sectorsPerCluster = sectorsPerCluster;
        this.fatStart = fatStart;
        this.dataStart = dataStart;
        this.clusters = clusters;
        this.rootCluster = rootCluster;
        this.bootLabel = bootLabel;
    }

    /**
     * The FAT32 volume on {@code disk}.
     *
     * @return null when sector 0 is not a FAT boot sector at all
     * @throws IOException when it looks like one but a field is wrong, or it is FAT12/16
     */
    public static FatVolume open(BlockDevice disk) throws IOException {
        if (disk.blockSize() != SECTOR || disk.blockCount() < 1) {
            return null;
        }
        ByteBuffer b = sector(disk, 0);
        int jump = b.get(0) & 0xff;
        if ((b.getShort(510) & 0xffff) != 0xAA55 || (jump != 0xEB && jump != 0xE9)) {
            return null;
        }
        int bytesPerSector = b.getShort(11) & 0xffff;
        int sectorsPerCluster = b.get(13) & 0xff;
        long reserved = b.getShort(14) & 0xffff;
        int fats = b.get(16) & 0xff;
        int rootEntries = b.getShort(17) & 0xffff;
        long fatSize16 = b.getShort(22) & 0xffff;
        long total = Integer.toUnsignedLong(b.getInt(32));
        long fatSize = Integer.toUnsignedLong(b.getInt(36));
        long rootCluster = Integer.toUnsignedLong(b.getInt(44));
        if (bytesPerSector != SECTOR) {
            throw new IOException("FAT: bytes per sector " + bytesPerSector + " (only 512 is read)");
        }
        if (sectorsPerCluster == 0 || Integer.bitCount(sectorsPerCluster) != 1) {
            throw new IOException("FAT: sectors per cluster " + sectorsPerCluster + " is not a power of two");
        }
        if (rootEntries != 0 || fatSize16 != 0 || fatSize == 0) {
            throw new IOException("FAT: a FAT12/16 volume (only FAT32 is read)");
        }
        if (reserved < 1 || fats < 1 || fats > 2) {
            throw new IOException("FAT: " + reserved + " reserved sectors, " + fats + " FATs");
        }
        if (total == 0 || total > disk.blockCount()) {
            throw new IOException("FAT: " + total + " sectors, the disk has " + disk.blockCount());
        }
        long dataStart = reserved + fats * fatSize; // < 2^16 + 2 * 2^32: no overflow
        if (dataStart >= total) {
            throw new IOException("FAT: the FATs (" + fats + " x " + fatSize + " sectors) do not leave a data region in " + total);
        }
        long clusters = (total - dataStart) / sectorsPerCluster;
        if (clusters < 65525 || (clusters + 2) * 4 > fatSize * SECTOR) {
            throw new IOException("FAT: " + clusters + " clusters do not make a FAT32 whose FAT of " + fatSize + " sectors maps them");
        }
        if (rootCluster < 2 || rootCluster > clusters + 1) {
            throw new IOException("FAT: root cluster " + rootCluster + " outside [2, " + (clusters + 1) + "]");
        }
        String label = new String(bytes(b, 71, 11), StandardCharsets.US_ASCII).strip();
        return new FatVolume(disk, sectorsPerCluster, reserved, dataStart, clusters, (int) rootCluster, label);
    }

    /** The volume label: the root directory's label entry, else the boot sector's. */
    public String label() throws IOException {
        String[] label = {null};
        walkRoot((name, attributes, cluster, size) -> {
            if ((attributes & 0x08) != 0 && label[0] == null) {
                label[0] = name.strip();
            }
        });
        return label[0] != null ? label[0] : bootLabel;
    }

    /**
     * The regular files of the root directory, by name (the long name when it has a valid one),
     * each at most {@code maxBytes}.
     *
     * @throws IOException naming the file whose size or chain is bad
     */
    public Map<String, byte[]> rootFiles(int maxBytes) throws IOException {
        Map<String, long[]> found = new LinkedHashMap<>();
        walkRoot((name, attributes, cluster, size) -> {
            if ((attributes & 0x18) == 0) {
                found.putIfAbsent(name, new long[] {cluster, size});
            }
        });
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : found.entrySet()) {
            long size = e.getValue()[1];
            if (size > maxBytes) {
                throw new IOException("FAT: " + e.getKey() + " is " + size + " bytes, over the limit of " + maxBytes);
            }
            files.put(e.getKey(), read(e.getKey(), e.getValue()[0], (int) size));
        }
        return files;
    }

    private interface EntryVisitor {
        void visit(String name, int attributes, long cluster, long size) throws IOException;
    }

    /** Calls {@code visitor} for each entry of the root directory, long names resolved. */
    private void walkRoot(EntryVisitor visitor) throws IOException {
        StringBuilder longName = null;
        int expectedSequence = 0;
        int longChecksum = -1;
        long cluster = rootCluster;
        for (long steps = 0; cluster < END_OF_CHAIN; steps++) {
            if (steps > clusters) {
                throw new IOException("FAT: the root directory's cluster chain loops");
            }
            byte[] data = cluster(cluster);
            for (int at = 0; at < data.length; at += 32) {
                int first = data[at] & 0xff;
                if (first == 0) {
                    return;
                }
                int attributes = data[at + 11] & 0xff;
                if (first == 0xE5) {
                    longName = null;
                    continue;
                }
                if (attributes == 0x0F) {
                    int sequence = first & 0x1F;
                    if ((first & 0x40) != 0) {
                        longName = new StringBuilder();
                        expectedSequence = sequence;
                        longChecksum = data[at + 13] & 0xff;
                    }
                    if (longName == null || sequence != expectedSequence || sequence == 0 || (data[at + 13] & 0xff) != longChecksum) {
                        longName = null; // an orphan or out-of-order part: ignored, the short name is used
                        continue;
                    }
                    longName.insert(0, longNamePart(data, at));
                    expectedSequence--;
                    continue;
                }
                String shortName = shortName(data, at);
                String name = longName != null && expectedSequence == 0 && checksum(data, at) == longChecksum
                        ? longName.toString() : shortName;
                longName = null;
                long start = ((long) (ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getShort(at + 20) & 0xffff) << 16)
                        | (ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getShort(at + 26) & 0xffff);
                long size = Integer.toUnsignedLong(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 28));
                visitor.visit((attributes & 0x08) != 0 ? new String(data, at, 11, StandardCharsets.US_ASCII) : name, attributes, start,
                        size);
            }
            cluster = next(cluster);
        }
    }

    private static String longNamePart(byte[] data, int at) {
        int[] offsets = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
        StringBuilder part = new StringBuilder();
        for (int offset : offsets) {
            char c = (char) ((data[at + offset] & 0xff) | (data[at + offset + 1] & 0xff) << 8);
            if (c == 0) {
                break;
            }
            part.append(c);
        }
        return part.toString();
    }

    private static int checksum(byte[] data, int at) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + (sum >> 1) + (data[at + i] & 0xff)) & 0xff;
        }
        return sum;
    }

    /** An 8.3 name as "NAME.EXT", lower-cased where the entry's case flags say (byte 12: 0x08 base, 0x10 extension). */
    private static String shortName(byte[] data, int at) {
        String base = new String(data, at, 8, StandardCharsets.US_ASCII).stripTrailing();
        String extension = new String(data, at + 8, 3, StandardCharsets.US_ASCII).stripTrailing();
        int flags = data[at + 12] & 0xff;
        if ((flags & 0x08) != 0) {
            base = base.toLowerCase(Locale.ROOT);
        }
        if ((flags & 0x10) != 0) {
            extension = extension.toLowerCase(Locale.ROOT);
        }
        return extension.isEmpty() ? base : base + "." + extension;
    }

    private byte[] read(String name, long first, int size) throws IOException {
        byte[] out = new byte[size];
        int done = 0;
        long cluster = first;
        for (long steps = 0; done < size; steps++) {
            if (cluster < 2 || cluster > clusters + 1 || steps > clusters) {
                throw new IOException("FAT: " + name + ": its cluster chain ends, loops or leaves the volume after " + done + " of "
                        + size + " bytes (cluster " + cluster + ")");
            }
            byte[] data = cluster(cluster);
            int n = Math.min(data.length, size - done);
            System.arraycopy(data, 0, out, done, n);
            done += n;
            if (done < size) {
                cluster = next(cluster);
            }
        }
        return out;
    }

    private byte[] cluster(long cluster) throws IOException {
        if (cluster < 2 || cluster > clusters + 1) {
            throw new IOException("FAT: cluster " + cluster + " outside [2, " + (clusters + 1) + "]");
        }
        byte[] data = new byte[sectorsPerCluster * SECTOR];
        disk.read(dataStart + (cluster - 2) * sectorsPerCluster, MemorySegment.ofArray(data));
        return data;
    }

    /** The FAT's entry for {@code cluster}: the next cluster, or at least {@link #END_OF_CHAIN}. */
    private long next(long cluster) throws IOException {
        long offset = cluster * 4;
        ByteBuffer fatSector = sector(disk, fatStart + offset / SECTOR);
        long value = Integer.toUnsignedLong(fatSector.getInt((int) (offset % SECTOR))) & 0x0FFFFFFF;
        if (value >= END_OF_CHAIN) {
            return value;
        }
        if (value < 2 || value > clusters + 1) {
            throw new IOException("FAT: cluster " + cluster + " links to " + value + " (free, bad or outside the volume)");
        }
        return value;
    }

    private static ByteBuffer sector(BlockDevice disk, long sector) throws IOException {
        byte[] bytes = new byte[SECTOR];
        disk.read(sector, MemorySegment.ofArray(bytes));
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }
}
