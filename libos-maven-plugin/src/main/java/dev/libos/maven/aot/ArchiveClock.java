package dev.libos.maven.aot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Takes the dumping JVM's clock out of a CDS/AOT archive, its one input that differs between two
 * dumps of the same class list (JDK 25). The archived heap holds {@code SoftReference}s (the method
 * handle and lambda form caches that AOT linking keeps) whose {@code timestamp} is the JVM's
 * soft-reference clock, milliseconds of the host's monotonic clock, and {@code SoftReference}'s
 * archived mirror holds that {@code clock}. They are set to 0 here: the guest's clock starts near 0
 * too, and a timestamp only steers which soft references a collection clears first.
 *
 * <p>The fields are found in the archive's own map ({@code -Xlog:aot+map=info,aot+map+oops=trace}
 * of the dump): every {@code 'timestamp' 'J'} field of a {@code java.lang.ref.Reference} (an object
 * with a {@code 'queue' 'Ljava/lang/ref/ReferenceQueue;'} field) and the static {@code 'clock' 'J'}
 * of {@code SoftReference}'s mirror. Each field's bytes are checked against the value the map
 * prints, the heap region's CRC and the header's CRC (CRC-32 of the header after its first 16
 * bytes, at offset 4) against the file before they are written again, so that
 * {@code -XX:+VerifySharedSpaces} still accepts the archive. Anything that does not match fails
 * with the reason, and the archive is left as it was.
 */
public final class ArchiveClock {
    private static final Pattern OBJECT = Pattern.compile("^0x([0-9a-f]+): @@ Object \\(0x[0-9a-f]+\\) (.*)$");
    private static final Pattern LONG_FIELD = Pattern.compile("^ - [a-z ]*'(\\w+)' 'J' @(\\d+)\\s+(-?\\d+) \\(0x[0-9a-f]+\\)$");
    private static final Pattern REGION = Pattern.compile("^============ region ============= (\\d+) \"(\\w+)\"$");
    private static final Pattern PROPERTY = Pattern.compile("^- (\\w+):\\s+(\\S+)$");
    /** The generic header (magic, crc, version, header size) the header's CRC leaves out. */
    static final int HEADER_CRC_START = 16;
    static final int HEADER_CRC_OFFSET = 4;

    /** A field to zero: its position in the file and the value the map says it holds. */
    record Patch(long filePosition, long expected) {
    }

    /** The heap region as the map describes it. */
    record HeapRegion(long fileOffset, long mappingOffset, long used, long crc) {
    }

    private ArchiveClock() {
    }

    /**
     * Zeroes the clock's fields of {@code archive} found through {@code map}.
     *
     * @return how many fields were set to 0
     */
    public static int zero(Path archive, Path map) throws IOException {
        HeapRegion heap;
        List<Patch> patches;
        // Latin-1: every byte is a character, so the map's strings of any encoding do not stop the parse
        try (Stream<String> lines = Files.lines(map, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            Parsed parsed = parse(lines.toList());
            heap = parsed.heap;
            patches = parsed.patches;
        }
        if (patches.isEmpty()) {
            return 0;
        }
        if (heap == null) {
            throw new IOException(map + ": archive fields to patch but no heap region in the map");
        }
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            int headerSize = readInt(file, 12);
            if (headerSize < HEADER_CRC_START || headerSize > 1 << 16 || headerSize > file.length()) {
                throw new IOException(archive + ": implausible header size " + headerSize);
            }
            byte[] header = new byte[headerSize];
            file.seek(0);
            file.readFully(header);
            int headerCrc = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(HEADER_CRC_OFFSET);
            if (headerCrc != crc(header, HEADER_CRC_START, headerSize - HEADER_CRC_START)) {
                throw new IOException(archive + ": the header's CRC is not where this JDK's format has it");
            }
            if (heap.fileOffset < headerSize || heap.used < 0 || heap.fileOffset + heap.used > file.length()
                    || heap.used > Integer.MAX_VALUE) {
                throw new IOException(archive + ": heap region outside the file");
            }
            byte[] region = new byte[(int) heap.used];
            file.seek(heap.fileOffset);
            file.readFully(region);
            int heapCrc = crc(region, 0, region.length);
            if ((heapCrc & 0xffffffffL) != heap.crc) {
                throw new IOException(archive + ": the heap region's CRC differs from the map's");
            }
            int crcAt = uniqueInt(header, heapCrc);
            if (crcAt < 0) {
                throw new IOException(archive + ": the heap region's CRC is not found once in the header");
            }
            ByteBuffer regionBuffer = ByteBuffer.wrap(region).order(ByteOrder.LITTLE_ENDIAN);
            for (Patch patch : patches) {
                long at = patch.filePosition - heap.fileOffset;
                if (at < 0 || at + 8 > region.length) {
                    throw new IOException(archive + ": a clock field outside the heap region");
                }
                if (regionBuffer.getLong((int) at) != patch.expected) {
                    throw new IOException(archive + ": the field at " + patch.filePosition + " does not hold the map's " + patch.expected);
                }
            }
            for (Patch patch : patches) {
                regionBuffer.putLong((int) (patch.filePosition - heap.fileOffset), 0);
            }
            ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(crcAt, crc(region, 0, region.length));
            ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(HEADER_CRC_OFFSET, crc(header, HEADER_CRC_START, headerSize - HEADER_CRC_START));
            file.seek(heap.fileOffset);
            file.write(region);
            file.seek(0);
            file.write(header);
        }
        return patches.size();
    }

    record Parsed(HeapRegion heap, List<Patch> patches) {
    }

    /** The heap region and the fields to zero, from a map's lines. */
    static Parsed parse(List<String> lines) throws IOException {
        HeapRegion heap = null;
        java.util.Map<String, String> region = null;
        List<long[]> fields = new ArrayList<>(); // object address, field offset, value
        long object = -1;
        String type = "";
        boolean reference = false;
        for (String line : lines) {
            Matcher m = REGION.matcher(line);
            if (m.matches()) {
                heap = heapOf(region, heap);
                region = new java.util.HashMap<>();
                continue;
            }
            if (region != null && line.startsWith("============ end regions")) {
                heap = heapOf(region, heap);
                region = null;
                continue;
            }
            if (region != null) {
                m = PROPERTY.matcher(line);
                if (m.matches()) {
                    region.put(m.group(1), m.group(2));
                }
                continue;
            }
            m = OBJECT.matcher(line);
            if (m.matches()) {
                object = Long.parseUnsignedLong(m.group(1), 16);
                type = m.group(2);
                reference = false;
                continue;
            }
            if (object < 0) {
                continue;
            }
            if (line.contains("'queue' 'Ljava/lang/ref/ReferenceQueue;'")) {
                reference = true;
                continue;
            }
            m = LONG_FIELD.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                boolean clockField = name.equals("timestamp") && reference
                        || name.equals("clock") && type.startsWith("java.lang.Class Ljava/lang/ref/SoftReference;");
                if (clockField) {
                    fields.add(new long[] {object, Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
                }
            }
        }
        List<Patch> patches = new ArrayList<>();
        for (long[] field : fields) {
            if (heap == null) {
                throw new IOException("archive map lists heap objects but no heap region");
            }
            long offset = field[0] - heap.mappingOffset;
            if (offset < 0 || offset >= heap.used) {
                throw new IOException("archive map: object 0x" + Long.toHexString(field[0]) + " outside the heap region");
            }
            patches.add(new Patch(heap.fileOffset + offset + field[1], field[2]));
        }
        return new Parsed(heap, patches);
    }

    private static HeapRegion heapOf(java.util.Map<String, String> region, HeapRegion found) throws IOException {
        if (region == null || !"1".equals(region.get("is_heap_region"))) {
            return found;
        }
        try {
            return new HeapRegion(Long.decode(region.get("file_offset")), Long.decode(region.get("mapping_offset")),
                    Long.parseLong(region.get("used")), Long.decode(region.get("crc")));
        } catch (RuntimeException e) {
            throw new IOException("archive map: heap region without file_offset, mapping_offset, used or crc: " + region, e);
        }
    }

    private static int readInt(RandomAccessFile file, long at) throws IOException {
        byte[] four = new byte[4];
        file.seek(at);
        file.readFully(four);
        return ByteBuffer.wrap(four).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static int crc(byte[] bytes, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }

    /** The offset of the one 4-byte little-endian occurrence of {@code value} in {@code bytes}, or -1. */
    static int uniqueInt(byte[] bytes, int value) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int found = -1;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (buffer.getInt(i) == value) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }
}
