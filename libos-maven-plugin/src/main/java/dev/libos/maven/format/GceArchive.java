package dev.libos.maven.format;

import dev.libos.maven.image.DeterministicGzip;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Google Compute Engine's image file: the raw disk named {@value #DISK_NAME} in a gzip-compressed
 * tar in the old GNU format ("Import a boot disk image": {@code tar --format=oldgnu -Sczf}).
 * Owner root, mtime 0 and a gzip header with mtime 0 make equal disks give equal files. The tar
 * is sparse like {@code -S}'s: only the disk's non-zero 64 KiB chunks are stored, so a mostly
 * empty 1 GiB disk is not read through gzip.
 */
public final class GceArchive {
    /** The name GCE requires of the disk inside the archive. */
    public static final String DISK_NAME = "disk.raw";
    static final int GZIP_LEVEL = 6;
    static final int CHUNK = 1 << 16;

    private GceArchive() {
    }

    /** Writes {@code raw} into {@code out} (replaced); GCE rounds the disk up to whole GiB itself. */
    public static void write(Path raw, Path out) throws IOException {
        RawDisk disk = RawDisk.open(raw);
        java.util.BitSet data = disk.scan(CHUNK).nonZero();
        java.util.List<long[]> segments = new java.util.ArrayList<>();
        for (int start = data.nextSetBit(0); start >= 0; start = data.nextSetBit(start)) {
            int end = data.nextClearBit(start);
            long offset = (long) start * CHUNK;
            segments.add(new long[] {offset, Math.min((long) end * CHUNK, disk.size()) - offset});
            start = end;
        }
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
             DeterministicGzip gzip = new DeterministicGzip(file, GZIP_LEVEL);
             TarWriter tar = new TarWriter(gzip, TarWriter.Flavor.OLD_GNU)) {
            tar.sparseFile(DISK_NAME, 0644, 0, 0, raw, segments);
        }
    }
}
