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
 * <p>An upper-case 8.3 name ({@code EFI/BOOT/BOOTX64.EFI}) is one directory entry; any other name
 * ({@code user-data}) gets VFAT long-name entries before a generated 8.3 alias ({@code USER-D~1}),
 * numbered in directory order so the aliases are deterministic too.
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
    /** Names written with long-name entries: printable ASCII without FAT's reserved characters. */
    private static final Pattern LONG_NAME = Pattern.compile("[A-Za-z0-9._ +,;=\\[\\]()!#$%&'@^`{}~-]{1,255}");
    /** The label of a volume that has none. */
    public static final String NO_LABEL = "NO NAME";

    /**
     * A file to put on the volume.
     *
     * @param path   its path, components separated by '/', each an 8.3 name
     * @param source the host file with its content
     */
    public record Entry(String path, Path source) {
        public Entry {
            for (String part : path.split("/", -1)) {
                if (!LONG_NAME.matcher(part).matches() || part.equals(".") || part.equals("..") || part.endsWith(".")
                        || part.startsWith(" ") || part.endsWith(" ")) {
                    throw new IllegalArgumentException("FAT name '" + part + "' in " + path + " is not a valid file name");
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
        write(channel, offset, sectors, hiddenSectors, volumeId, NO_LABEL, entries);
    }

    /**
     * As {@link #write(FileChannel, long, long, long, int, List)}, with a volume label (up to 11
     * upper-case characters; {@value #NO_LABEL} for none), which also goes into the root directory.
     */
    public static void write(FileChannel channel, long offset, long sectors, long hiddenSectors, int volumeId, String label,
                             List<Entry> entries) throws IOException {
        if (!label.matches("[A-Z0-9 _-]{1,11}")) {
            throw new IllegalArgumentException("FAT volume label must be 1-11 upper-case letters, digits, ' ', '_' or '-': '" + label + "'");
        }
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
        root.label = label.equals(NO_LABEL) ? null : label;
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
        byte[] boot = bootSector(sectors, fatSectors, hiddenSectors, volumeId, label);
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

    private static byte[] bootSector(long sectors, long fatSectors, long hiddenSectors, int volumeId, String label) {
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
        b.put(71, String.format("%-11s", label).getBytes(StandardCharsets.US_ASCII));
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
        String label;
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
            int count = (isRoot() ? 0 : 2) + (label == null ? 0 : 1);
            for (String child : children.keySet()) {
                count += 1 + longNameSlots(child);
            }
            return count;
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
            if (label != null) {
                entry(b, String.format("%-11s", label), 0x08, 0, 0);
            }
            int alias = 0;
            for (Node child : children.values()) {
                String name = child instanceof Directory d ? d.name : ((FileNode) child).name;
                String name11 = shortName(name);
                if (longNameSlots(name) > 0) {
                    name11 = aliasFor(name, ++alias);
                    longNameEntries(b, name, name11);
                }
                switch (child) {
                    case Directory d -> entry(b, name11, 0x10, d.cluster, 0);
                    case FileNode f -> entry(b, name11, 0x20, f.cluster, f.size);
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

    /** Long-name entries a name needs: none for an upper-case 8.3 name, else one per 13 UTF-16 units. */
    static int longNameSlots(String name) {
        return SHORT_NAME.matcher(name).matches() ? 0 : (name.length() + 12) / 13;
    }

    /**
     * The 8.3 alias of a long name: up to 6 upper-cased valid characters of the base, "~" and the
     * name's number among the directory's long names, the first 3 of the extension. Unique in its
     * directory, since the numbers are (a directory with over 9 long names gets shorter bases).
     */
    static String aliasFor(String name, int number) {
        int dot = name.lastIndexOf('.');
        String base = clean(dot <= 0 ? name : name.substring(0, dot));
        String extension = dot <= 0 ? "" : clean(name.substring(dot + 1));
        String suffix = "~" + number;
        base = base.isEmpty() ? "_" : base;
        base = base.substring(0, Math.min(base.length(), 8 - suffix.length())) + suffix;
        return String.format("%-8s%-3s", base, extension.substring(0, Math.min(3, extension.length())));
    }

    private static String clean(String part) {
        StringBuilder out = new StringBuilder();
        for (char c : part.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Writes the VFAT long-name entries of {@code name} (last part first, as they precede the
     * alias): each holds 13 UTF-16 units at offsets 1, 14 and 28, sequence number at 0 (0x40 on
     * the last), attribute 0x0F, the alias's checksum at 13; the name ends with NUL, then 0xFFFF.
     */
    private static void longNameEntries(ByteBuffer b, String name, String name11) {
        int checksum = 0;
        for (byte c : name11.getBytes(StandardCharsets.US_ASCII)) {
            checksum = (((checksum & 1) << 7) + (checksum >> 1) + (c & 0xff)) & 0xff;
        }
        int slots = longNameSlots(name);
        for (int slot = slots; slot >= 1; slot--) {
            int at = b.position();
            b.put(at, (byte) (slot | (slot == slots ? 0x40 : 0)));
            b.put(at + 11, (byte) 0x0F);
            b.put(at + 13, (byte) checksum);
            int[] offsets = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
            for (int i = 0; i < 13; i++) {
                int index = (slot - 1) * 13 + i;
                char unit = index < name.length() ? name.charAt(index) : index == name.length() ? 0 : (char) 0xFFFF;
                b.putShort(at + offsets[i], (short) unit);
            }
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
