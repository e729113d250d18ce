package dev.libos.bench.vfs;

import java.nio.file.Path;
import org.openjdk.jmh.annotations.Param;

/**
 * libos cowfs on a {@link dev.libos.hw.hosted.block.FileBlockDevice} (a file in
 * {@link #DISK_DIR}) through the {@code Vfs} API, against the host file system holding that
 * file through java.nio ({@code disk}, which must not be tmpfs).
 */
public class CowFsBenchmark extends FileJobsBenchmark {
    /** The directory holding the device file and the disk side's files: the system temp directory unless set. */
    static final Path DISK_DIR = Path.of(System.getProperty("libos.bench.disk", System.getProperty("java.io.tmpdir")));

    @Param({"libos", "disk"})
    public String impl;

    @Override
    protected FileSide openSide() throws Exception {
        return switch (impl) {
            case "libos" -> VfsSide.cowfsOnFileIn(checkedDiskDir());
            case "disk" -> NioSide.in(DISK_DIR, null);
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        };
    }

    /** The device file must be on the same kind of store as the disk side: not tmpfs. */
    private static Path checkedDiskDir() throws Exception {
        String type = java.nio.file.Files.getFileStore(DISK_DIR).type();
        if (type.equals("tmpfs")) {
            throw new IllegalArgumentException(DISK_DIR + " is on tmpfs, not a disk: set -Dlibos.bench.disk");
        }
        return DISK_DIR;
    }
}
