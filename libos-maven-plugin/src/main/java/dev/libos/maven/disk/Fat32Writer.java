package dev.libos.maven.disk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A deterministic FAT32 writer (Microsoft's "FAT: General Overview of On-Disk Format" 1.03, the
 * layout UEFI 2.10 section 13.3 requires of an EFI system partition): 512-byte sectors and
 * clusters, 32 reserved sectors (boot sector, FSInfo at 1, their backups at 6 and 7), two FATs,
 * then the data region with the root directory at cluster 2. Directories come first, then the
 * files, each in consecutive clusters, in sorted order; every time stamp is 1980-01-01 00:00 and
 * the volume id is the caller's, so equal inputs give equal bytes.
 *
 * <p>Names are 8.3 only (upper-case letters, digits, '_' and '-'; no long-name entries): the ESP
 * needs just {@code EFI/BOOT/BOOTX64.EFI}.
 */
public final class Fat32Writer {
    /** Bytes per sector and per cluster. */
    public static final int SECTOR_BYTES = 512;
    /** FAT32 needs at least this many clusters (fewer would make it FAT16 by definition). */
    public static final long MIN_CLUSTERS = 65525;
    private static final int RESERVED_SECTORS = 32;
    private static final int FAT_COUNT = 2;
    private static final int ROOT_CLUSTER = 2;
    private static final int END_OF_CHAIN = 0x0FFFFFFF;
    /** 1980-01-01 in FAT's date format (day 1, month 1, year 0). */
    private static final short EPOCH_DATE = 0x0021;
    private static final Pattern SHORT_NAME = Pattern.compile("[A-Z0-9_-]{1,8}(\\.[A-Z0-9_-]{1,3})?");

    /**
     * A file to put on the volume.
     *
     * @param path   its path, components separated by '/', each an 8.3 name
     * @param source the host file with its content
     */
    public record Entry(String path, Path source) {
        public Entry {
            for (String part : path.split("/", -1)) {
                if (!SHORT_NAME.matcher(part).matches()) {
                    throw new IllegalArgumentException("FAT name '" + part + "' in " + path + " is not an upper-case 8.3 name");
                }
            }
        }
    }

    private Fat32Writer() {
    }

    /** Sectors of the smallest FAT32 volume that holds {@code entries} (at least {@link #MIN_CLUSTERS} clusters). */
    public static long minimumSectors(List<Entry> entries) throws IOException {
        long needed = Math.max(MIN_CLUSTERS + 16, layoutClusters(entries));
        long sectors = RESERVED_SECTORS + needed + FAT_COUNT * fatSectors(needed);
        for (long have; (have = clusters(sectors)) < needed; ) {
            sectors = Math.addExact(sectors, needed - have);
        }
        return sectors;
    }

    /** Clusters of a volume of {@code sectors} sectors. */
    static long clusters(long sectors) {
        return sectors - RESERVED_SECTORS - FAT_COUNT * fatSectors(sectors - RESERVED_SECTORS);
    }

    /**
     * Writes a volume of {@code sectors} sectors at byte {@code offset} of {@code channel}.
     *
     * @param hiddenSectors the partition's first LBA (BPB_HiddSec)
     * @param volumeId      the volume serial number
     * @throws IllegalArgumentException when the entries do not fit or {@code sectors} is too few for FAT32
     */
    public static void write(FileChannel channel, long offset, long sectors, long hiddenSectors, int volumeId, List<Entry> entries)
            throws IOException {
        if (sectors > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("a FAT32 volume has at most 2^32-1 sectors");
        }
        long fatSectors = fatSectors(sectors - RESERVED_SECTORS);
        long dataStart = RESERVED_SECTORS + FAT_COUNT * fatSectors;
        long clusters = clusters(sectors);
        if (clusters < MIN_CLUSTERS) {
            throw new IllegalArgumentException(sectors + " sectors make only " + clusters + " clusters, FAT32 needs " + MIN_CLUSTERS);
        }
        Directory root = tree(entries);
        List<Directory> directories = new ArrayList<>();
        collect(root, directories);
        int next = ROOT_CLUSTER;
        for (Directory d : directories) {
            d.cluster = next;
            next += d.clusterCount();
        }
        List<FileNode> files = new ArrayList<>();
        for (Directory d : directories) {
            for (Node child : d.children.values()) {
                if (child instanceof FileNode f) {
                    f.cluster = f.size == 0 ? 0 : next;
                    next += clustersFor(f.size);
                    files.add(f);
                }
            }
        }
        long used = next - ROOT_CLUSTER;
        if (used > clusters) {
            throw new IllegalArgumentException("the files need " + used + " clusters, the volume has " + clusters);
        }
        int[] fat = new int[Math.toIntExact(clusters + 2)];
        fat[0] = 0x0FFFFFF8;
        fat[1] = END_OF_CHAIN;
        for (Directory d : directories) {
            chain(fat, d.cluster, d.clusterCount());
        }
        for (FileNode f : files) {
            chain(fat, f.cluster, clustersFor(f.size));
        }
        byte[] boot = bootSector(sectors, fatSectors, hiddenSectors, volumeId);
        byte[] info = fsInfo(clusters - used, next);
        GptWriter.writeAt(channel, boot, offset);
        GptWriter.writeAt(channel, info, offset + SECTOR_BYTES);
        GptWriter.writeAt(channel, boot, offset + 6L * SECTOR_BYTES);
        GptWriter.writeAt(channel, info, offset + 7L * SECTOR_BYTES);
        ByteBuffer fatBytes = ByteBuffer.allocate(Math.toIntExact(fatSectors * SECTOR_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : fat) {
            fatBytes.putInt(value);
        }
        for (int i = 0; i < FAT_COUNT; i++) {
            GptWriter.writeAt(channel, fatBytes.array(), offset + (RESERVED_SECTORS + i * fatSectors) * SECTOR_BYTES);
        }
        long data = offset + dataStart * SECTOR_BYTES;
        for (Directory d : directories) {
            GptWriter.writeAt(channel, d.toBytes(), data + (long) (d.cluster - ROOT_CLUSTER) * SECTOR_BYTES);
        }
        for (FileNode f : files) {
            copy(channel, f.source, data + (long) (f.cluster - ROOT_CLUSTER) * SECTOR_BYTES, f.size);
        }
    }

    private static long fatSectors(long sectorsAfterReserved) {
        // Entries for every cluster the remaining sectors could hold, plus the two reserved ones;
        // an over-estimate by at most the FATs' own sectors, as the specification's formula is.
        long entries = sectorsAfterReserved + 2;
        return (entries * 4 + SECTOR_BYTES - 1) / SECTOR_BYTES;
    }

    private static long layoutClusters(List<Entry> entries) throws IOException {
        Directory root = tree(entries);
        List<Directory> directories = new ArrayList<>();
        collect(root, directories);
        long total = 0;
        for (Directory d : directories) {
            total += d.clusterCount();
            for (Node child : d.children.values()) {
                if (child instanceof FileNode f) {
                    total += clustersFor(f.size);
                }
            }
        }
        return total;
    }

    private static int clustersFor(long bytes) {
        return Math.toIntExact((bytes + SECTOR_BYTES - 1) / SECTOR_BYTES);
    }

    private static void chain(int[] fat, int first, int count) {
        for (int i = 0; i < count; i++) {
            fat[first + i] = i == count - 1 ? END_OF_CHAIN : first + i + 1;
        }
    }

    private static byte[] bootSector(long sectors, long fatSectors, long hiddenSectors, int volumeId) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {(byte) 0xEB, 0x58, (byte) 0x90});
        b.put(3, "LIBOS   ".getBytes(StandardCharsets.US_ASCII));
        b.putShort(11, (short) SECTOR_BYTES);
        b.put(13, (byte) 1);                                  // sectors per cluster
        b.putShort(14, (short) RESERVED_SECTORS);
        b.put(16, (byte) FAT_COUNT);
        b.put(21, (byte) 0xF8);                               // fixed disk
        b.putShort(24, (short) 63);                           // geometry, unused with LBA
        b.putShort(26, (short) 255);
        b.putInt(28, (int) hiddenSectors);
        b.putInt(32, (int) sectors);
        b.putInt(36, (int) fatSectors);
        b.putInt(44, ROOT_CLUSTER);
        b.putShort(48, (short) 1);                            // FSInfo sector
        b.putShort(50, (short) 6);                            // backup boot sector
        b.put(64, (byte) 0x80);
        b.put(66, (byte) 0x29);                               // extended boot signature: the next three fields are valid
        b.putInt(67, volumeId);
        b.put(71, "NO NAME    ".getBytes(StandardCharsets.US_ASCII));
        b.put(82, "FAT32   ".getBytes(StandardCharsets.US_ASCII));
        b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        return b.array();
    }

    private static byte[] fsInfo(long freeClusters, int nextFree) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x41615252);
        b.putInt(484, 0x61417272);
        b.putInt(488, (int) freeClusters);
        b.putInt(492, nextFree);
        b.putInt(508, 0xAA550000);
        return b.array();
    }

    private static void copy(FileChannel channel, Path source, long position, long size) throws IOException {
        try (InputStream in = Files.newInputStream(source)) {
            byte[] buffer = new byte[1 << 20];
            long done = 0;
            for (int n; done < size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size - done))) > 0; ) {
                GptWriter.writeAt(channel, n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n), position + done);
                done += n;
            }
            if (done != size) {
                throw new IOException(source + " changed size while it was copied");
            }
        }
    }

    private static Directory tree(List<Entry> entries) throws IOException {
        Directory root = new Directory(null, "");
        for (Entry entry : entries) {
            String[] parts = entry.path().split("/");
            Directory at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                Node node = at.children.computeIfAbsent(parts[i], name -> new Directory(null, name));
                if (!(node instanceof Directory d)) {
                    throw new IllegalArgumentException(entry.path() + ": " + parts[i] + " is a file");
                }
                d.parent = at;
                at = d;
            }
            String leaf = parts[parts.length - 1];
            long size = Files.size(entry.source());
            if (size > 0xFFFFFFFFL) {
                throw new IllegalArgumentException(entry.path() + " is " + size + " bytes, over FAT32's 4 GiB - 1 per file");
            }
            if (at.children.putIfAbsent(leaf, new FileNode(leaf, entry.source(), size)) != null) {
                throw new IllegalArgumentException(entry.path() + " is given twice");
            }
        }
        return root;
    }

    private static void collect(Directory directory, List<Directory> out) {
        out.add(directory);
        for (Node child : directory.children.values()) {
            if (child instanceof Directory d) {
                collect(d, out);
            }
        }
    }

    private sealed interface Node permits Directory, FileNode {
    }

    private static final class FileNode implements Node {
        final String name;
        final Path source;
        final long size;
        int cluster;

        FileNode(String name, Path source, long size) {
            this.name = name;
            this.source = source;
            this.size = size;
        }
    }

    private static final class Directory implements Node {
        Directory parent;
        final String name;
        final Map<String, Node> children = new TreeMap<>();
        int cluster;

        Directory(Directory parent, String name) {
            this.parent = parent;
            this.name = name;
        }

        boolean isRoot() {
            return name.isEmpty();
        }

        int entryCount() {
            return children.size() + (isRoot() ? 0 : 2);
        }

        int clusterCount() {
            return Math.max(1, clustersFor(entryCount() * 32L));
        }

        byte[] toBytes() {
            ByteBuffer b = ByteBuffer.allocate(clusterCount() * SECTOR_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (!isRoot()) {
                entry(b, ".          ", 0x10, cluster, 0);
                entry(b, "..         ", 0x10, parent.isRoot() ? 0 : parent.cluster, 0); // the root is cluster 0 in ".."
            }
            for (Node child : children.values()) {
                switch (child) {
                    case Directory d -> entry(b, shortName(d.name), 0x10, d.cluster, 0);
                    case FileNode f -> entry(b, shortName(f.name), 0x20, f.cluster, f.size);
                }
            }
            return b.array();
        }

        private static void entry(ByteBuffer b, String name11, int attributes, int cluster, long size) {
            int at = b.position();
            b.put(at, name11.getBytes(StandardCharsets.US_ASCII));
            b.put(at + 11, (byte) attributes);
            b.putShort(at + 16, EPOCH_DATE);                   // creation date
            b.putShort(at + 18, EPOCH_DATE);                   // last access date
            b.putShort(at + 20, (short) (cluster >>> 16));
            b.putShort(at + 24, EPOCH_DATE);                   // write date
            b.putShort(at + 26, (short) cluster);
            b.putInt(at + 28, (int) size);
            b.position(at + 32);
        }
    }

    /** "BOOTX64.EFI" as the 11 bytes of a directory entry: "BOOTX64 EFI". */
    static String shortName(String name) {
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return String.format("%-8s%-3s", base, extension);
    }
}
