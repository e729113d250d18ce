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
            byte[] content = in.readNBytes(Math.toIntExact(size));
            in.readNBytes((int) ((512 - size % 512) % 512));
            entries.add(new Entry(field(header, 0, 100), Integer.parseInt(field(header, 100, 7), 8),
                    Integer.parseInt(field(header, 108, 7), 8), Integer.parseInt(field(header, 116, 7), 8),
                    (char) header[156], new String(header, 257, 8, StandardCharsets.US_ASCII),
                    content));
            if (Long.parseLong(field(header, 136, 11), 8) != 0) {
                throw new AssertionError("mtime is not 0");
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
