package dev.libos.bench.vfs;

import java.nio.file.Path;
import org.openjdk.jmh.annotations.Param;

/** libos ramfs through the {@code Vfs} API against Linux tmpfs ({@code /dev/shm}) through java.nio. */
public class RamFsBenchmark extends FileJobsBenchmark {
    /** Where the tmpfs side works: a tmpfs mount (checked). */
    static final Path TMPFS = Path.of(System.getProperty("libos.bench.tmpfs", "/dev/shm"));

    @Param({"libos", "tmpfs"})
    public String impl;

    @Override
    protected FileSide openSide() throws Exception {
        return switch (impl) {
            case "libos" -> VfsSide.ramfs();
            case "tmpfs" -> NioSide.in(TMPFS, "tmpfs");
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        };
    }
}
