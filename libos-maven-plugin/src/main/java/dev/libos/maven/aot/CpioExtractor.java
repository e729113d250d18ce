package dev.libos.maven.aot;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks the part of a gzip-compressed newc cpio archive (a runtime segment) under one prefix
 * into a host directory: directories, regular files with their permission bits, symbolic links.
 * Names are checked to stay inside the target (no "..", no absolute paths).
 */
final class CpioExtractor {
    private CpioExtractor() {
    }

    static void extract(Path cpioGz, String prefix, Path target) throws IOException {
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(cpioGz), 1 << 16), 1 << 16)) {
            long position = 0;
            while (true) {
                byte[] header = in.readNBytes(110);
                if (header.length < 110) {
                    throw new EOFException(cpioGz + ": archive ends without a trailer");
                }
                String text = new String(header, StandardCharsets.US_ASCII);
                if (!text.startsWith("070701")) {
                    throw new IOException(cpioGz + ": not a newc cpio header at " + position);
                }
                int mode = hex(text, 1);
                long size = hex(text, 6) & 0xffff_ffffL;
                int nameSize = hex(text, 11);
                if (nameSize <= 0 || nameSize > 4096) {
                    throw new IOException(cpioGz + ": bad name size " + nameSize);
                }
                byte[] nameBytes = in.readNBytes(nameSize);
                String name = new String(nameBytes, 0, nameSize - 1, StandardCharsets.UTF_8);
                skip(in, pad(110 + nameSize));
                if (name.equals("TRAILER!!!")) {
                    return;
                }
                byte[] data = in.readNBytes(Math.toIntExact(size));
                skip(in, pad(size));
                position += 110 + nameSize + pad(110 + nameSize) + size + pad(size);
                if (!(name.equals(prefix) || name.startsWith(prefix + "/"))) {
                    continue;
                }
                if (name.startsWith("/") || name.contains("..")) {
                    throw new IOException(cpioGz + ": entry name leaves the target: " + name);
                }
                Path path = target.resolve(name);
                switch (mode & 0170000) {
                    case 0040000 -> Files.createDirectories(path);
                    case 0100000 -> {
                        Files.createDirectories(path.getParent());
                        Files.write(path, data);
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions(mode)));
                    }
                    case 0120000 -> {
                        Files.createDirectories(path.getParent());
                        Files.createSymbolicLink(path, Path.of(new String(data, StandardCharsets.UTF_8)));
                    }
                    default -> { } // devices: not needed to run the runtime on the host
                }
            }
        }
    }

    /** Field {@code field} of the header (0 = c_ino, 1 = c_mode, 6 = c_filesize, 11 = c_namesize). */
    private static int hex(String header, int field) {
        return (int) Long.parseLong(header.substring(6 + 8 * field, 14 + 8 * field), 16);
    }

    private static long pad(long length) {
        return (4 - length % 4) % 4;
    }

    private static void skip(InputStream in, long count) throws IOException {
        if (in.readNBytes((int) count).length != count) {
            throw new EOFException("cpio archive truncated");
        }
    }

    private static String permissions(int mode) {
        String letters = "rwxrwxrwx";
        StringBuilder out = new StringBuilder();
        for (int bit = 0; bit < 9; bit++) {
            out.append((mode & (0400 >> bit)) != 0 ? letters.charAt(bit) : '-');
        }
        return out.toString();
    }
}
