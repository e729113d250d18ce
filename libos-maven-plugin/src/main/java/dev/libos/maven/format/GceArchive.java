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
 * Owner root, mtime 0 and a gzip header with mtime 0 make equal disks give equal files. The tar is
 * not sparse: gzip squeezes the zero runs almost as well.
 */
public final class GceArchive {
    /** The name GCE requires of the disk inside the archive. */
    public static final String DISK_NAME = "disk.raw";
    static final int GZIP_LEVEL = 6;

    private GceArchive() {
    }

    /** Writes {@code raw} into {@code out} (replaced); GCE rounds the disk up to whole GiB itself. */
    public static void write(Path raw, Path out) throws IOException {
        RawDisk.open(raw); // validates the size
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
             DeterministicGzip gzip = new DeterministicGzip(file, GZIP_LEVEL);
             TarWriter tar = new TarWriter(gzip, TarWriter.Flavor.OLD_GNU)) {
            tar.file(DISK_NAME, 0644, 0, 0, raw);
        }
    }
}
