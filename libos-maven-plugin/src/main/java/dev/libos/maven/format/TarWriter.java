package dev.libos.maven.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tar archive writer whose bytes depend only on the entries: every entry has mtime 0 and the
 * owner given (no user or group names), in POSIX ustar or the old GNU format (GCE's image import
 * asks for {@code tar --format=oldgnu}). Header layout (POSIX.1-1988 ustar, 512 bytes):
 * <pre>
 *   0 name[100]  100 mode[8]  108 uid[8]  116 gid[8]  124 size[12]  136 mtime[12]  148 chksum[8]
 *   156 typeflag  157 linkname[100]  257 magic[6]  263 version[2]  265 uname[32]  297 gname[32]
 *   329 devmajor[8]  337 devminor[8]  345 prefix[155]
 * </pre>
 * Numbers are octal; a size too large for 11 octal digits is written in GNU's base-256 form
 * (first byte 0x80). The archive ends with two zero blocks and is padded to 10240-byte records,
 * as GNU tar writes it.
 */
public final class TarWriter implements AutoCloseable {
    static final int BLOCK = 512;
    static final int RECORD = 20 * BLOCK;
    static final long MAX_OCTAL_SIZE = 077777777777L;

    /** Header flavours. */
    public enum Flavor {
        /** POSIX ustar: magic "ustar\0", version "00". */
        USTAR("ustar\0" + "00"),
        /** GNU tar's --format=oldgnu: magic "ustar ", version " \0". */
        OLD_GNU("ustar  \0");

        private final String magicAndVersion;

        Flavor(String magicAndVersion) {
            this.magicAndVersion = magicAndVersion;
        }
    }

    private final OutputStream out;
    private final Flavor flavor;
    private long written;

    /** Writes to {@code out}, which {@link #close()} finishes but does not close. */
    public TarWriter(OutputStream out, Flavor flavor) {
        this.out = out;
        this.flavor = flavor;
    }

    /** A directory entry ({@code name} ends in '/'). */
    public void directory(String name, int mode, int uid, int gid) throws IOException {
        writeHeader(name.endsWith("/") ? name : name + "/", mode, uid, gid, 0, '5');
    }

    /** A regular file with {@code content}. */
    public void file(String name, int mode, int uid, int gid, byte[] content) throws IOException {
        writeHeader(name, mode, uid, gid, content.length, '0');
        write(content, content.length);
        pad();
    }

    /** A regular file with the bytes of {@code source}. */
    public void file(String name, int mode, int uid, int gid, Path source) throws IOException {
        long size = Files.size(source);
        writeHeader(name, mode, uid, gid, size, '0');
        try (InputStream in = Files.newInputStream(source)) {
            byte[] buffer = new byte[1 << 16];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(source + " shrank while being archived");
                }
                write(buffer, n);
                left -= n;
            }
        }
        pad();
    }

    /**
     * An old-GNU sparse file ({@code tar --format=oldgnu -S}, GNU tar manual "Sparse Formats", old
     * GNU format): typeflag 'S', the data of {@code segments} only, a map of (offset, length) pairs,
     * four in the header at 386 and 21 per extension block after it, and the real size at 483.
     * Holes read back as zeros.
     *
     * @param segments (offset, length) pairs in order, not overlapping, within {@code source}
     */
    public void sparseFile(String name, int mode, int uid, int gid, Path source, java.util.List<long[]> segments)
            throws IOException {
        if (flavor != Flavor.OLD_GNU) {
            throw new IllegalStateException("sparse files are written in the old GNU format only");
        }
        long realSize = Files.size(source);
        java.util.List<long[]> map = new java.util.ArrayList<>(segments);
        long stored = 0;
        long end = 0;
        for (long[] segment : map) {
            if (segment[0] < end || segment[1] < 0 || segment[0] + segment[1] > realSize) {
                throw new IllegalArgumentException("sparse map out of order or past the file: " + segment[0] + "+" + segment[1]);
            }
            end = segment[0] + segment[1];
            stored += segment[1];
        }
        if (end < realSize || map.isEmpty()) {
            map.add(new long[] {realSize, 0}); // a trailing hole: GNU tar ends the map at the real size
        }
        byte[] header = header(name, mode, uid, gid, stored, 'S');
        int inHeader = Math.min(4, map.size());
        for (int i = 0; i < inHeader; i++) {
            octal(header, 386 + 24 * i, 12, map.get(i)[0]);
            octal(header, 398 + 24 * i, 12, map.get(i)[1]);
        }
        header[482] = (byte) (map.size() > 4 ? 1 : 0);
        octal(header, 483, 12, realSize);
        write(checksummed(header), BLOCK);
        for (int next = 4; next < map.size(); next += 21) {
            byte[] extension = new byte[BLOCK];
            for (int i = 0; i < 21 && next + i < map.size(); i++) {
                octal(extension, 24 * i, 12, map.get(next + i)[0]);
                octal(extension, 12 + 24 * i, 12, map.get(next + i)[1]);
            }
            extension[504] = (byte) (next + 21 < map.size() ? 1 : 0);
            write(extension, BLOCK);
        }
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(source)) {
            byte[] buffer = new byte[1 << 16];
            for (long[] segment : map) {
                long position = segment[0];
                long left = segment[1];
                while (left > 0) {
                    java.nio.ByteBuffer window = java.nio.ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, left));
                    int n = in.read(window, position);
                    if (n <= 0) {
                        throw new IOException(source + " shrank while being archived");
                    }
                    write(buffer, n);
                    position += n;
                    left -= n;
                }
            }
        }
        pad();
    }

    /** Ends the archive: two zero blocks, then zeros to a whole record. */
    @Override
    public void close() throws IOException {
        write(new byte[2 * BLOCK], 2 * BLOCK);
        long record = Math.ceilDiv(written, RECORD) * RECORD;
        write(new byte[(int) (record - written)], (int) (record - written));
        out.flush();
    }

    private void writeHeader(String name, int mode, int uid, int gid, long size, char type) throws IOException {
        write(checksummed(header(name, mode, uid, gid, size, type)), BLOCK);
    }

    private byte[] header(String name, int mode, int uid, int gid, long size, char type) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100 || name.isEmpty()) {
            throw new IllegalArgumentException("tar entry name must be 1-100 bytes: " + name);
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, uid);
        octal(header, 116, 8, gid);
        if (size <= MAX_OCTAL_SIZE) {
            octal(header, 124, 12, size);
        } else {
            header[124] = (byte) 0x80; // GNU base-256: big-endian in the remaining 11 bytes
            for (int i = 0; i < 8; i++) {
                header[135 - i] = (byte) (size >>> (8 * i));
            }
        }
        octal(header, 136, 12, 0);      // mtime: the epoch, for reproducible archives
        header[156] = (byte) type;
        byte[] magic = flavor.magicAndVersion.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, header, 257, magic.length);
        if (flavor == Flavor.USTAR) {
            octal(header, 329, 8, 0);
            octal(header, 337, 8, 0);
        }
        return header;
    }

    /** The header with its checksum: the byte sum with the checksum field counted as spaces. */
    private static byte[] checksummed(byte[] header) {
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        String checksum = String.format("%06o", sum);
        System.arraycopy(checksum.getBytes(StandardCharsets.US_ASCII), 0, header, 148, 6);
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    /** {@code value} as zero-padded octal digits filling {@code length - 1} bytes, then NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (value < 0 || digits.length() > length - 1) {
            throw new IllegalArgumentException("tar field does not fit " + (length - 1) + " octal digits: " + value);
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
        header[offset + length - 1] = 0;
    }

    private void pad() throws IOException {
        int rest = (int) (written % BLOCK);
        if (rest != 0) {
            write(new byte[BLOCK - rest], BLOCK - rest);
        }
    }

    private void write(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
        written += length;
    }
}
