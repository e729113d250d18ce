package dev.libos.maven.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a tar archive back for the tests, checking every header's checksum. */
final class TarEntries {
    record Entry(String name, int mode, int uid, int gid, char type, String magic, byte[] content) {
    }

    private TarEntries() {
    }

    static List<Entry> read(InputStream in) throws IOException {
        List<Entry> entries = new ArrayList<>();
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512) {
                throw new AssertionError("tar ends without two zero blocks");
            }
            if (RawDisk.isZero(header)) {
                return entries;
            }
            int sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
            }
            int recorded = Integer.parseInt(field(header, 148, 6), 8);
            if (sum != recorded) {
                throw new AssertionError("bad header checksum for " + field(header, 0, 100));
            }
            long size = Long.parseLong(field(header, 124, 11), 8);
            java.util.List<long[]> map = new java.util.ArrayList<>();
            if (header[156] == 'S') { // old GNU sparse: map in the header, then in extension blocks
                readMap(header, 386, 4, map);
                boolean extended = header[482] != 0;
                while (extended) {
                    byte[] extension = in.readNBytes(512);
                    readMap(extension, 0, 21, map);
                    extended = extension[504] != 0;
                }
            }
            byte[] content = in.readNBytes(Math.toIntExact(size));
            in.readNBytes((int) ((512 - size % 512) % 512));
            if (header[156] == 'S') {
                byte[] expanded = new byte[Math.toIntExact(Long.parseLong(field(header, 483, 11), 8))];
                int from = 0;
                for (long[] segment : map) {
                    System.arraycopy(content, from, expanded, (int) segment[0], (int) segment[1]);
                    from += (int) segment[1];
                }
                if (from != content.length) {
                    throw new AssertionError("sparse map covers " + from + " of " + content.length + " stored bytes");
                }
                content = expanded;
            }
            entries.add(new Entry(field(header, 0, 100), Integer.parseInt(field(header, 100, 7), 8),
                    Integer.parseInt(field(header, 108, 7), 8), Integer.parseInt(field(header, 116, 7), 8),
                    (char) header[156], new String(header, 257, 8, StandardCharsets.US_ASCII),
                    content));
            if (Long.parseLong(field(header, 136, 11), 8) != 0) {
                throw new AssertionError("mtime is not 0");
            }
        }
    }

    private static void readMap(byte[] block, int offset, int entries, java.util.List<long[]> map) {
        for (int i = 0; i < entries; i++) {
            String start = field(block, offset + 24 * i, 12);
            if (!start.isEmpty()) {
                map.add(new long[] {Long.parseLong(start, 8), Long.parseLong(field(block, offset + 24 * i + 12, 12), 8)});
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
