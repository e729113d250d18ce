package dev.libos.maven.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes one initramfs segment: a cpio newc archive compressed with {@link DeterministicGzip}.
 * An initramfs is several segments one after the other; the kernel unpacks each in turn.
 */
public final class SegmentWriter {
    /** Deflate level for every segment. */
    public static final int GZIP_LEVEL = 6;

    private SegmentWriter() {
    }

    /** Writes {@code entries} as a compressed segment to {@code target}, atomically. */
    public static void write(List<CpioEntry> entries, long firstInode, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.createDirectories(target.getParent());
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16);
             DeterministicGzip gzip = new DeterministicGzip(file, GZIP_LEVEL)) {
            new CpioWriter(firstInode).write(entries, gzip);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code entries} as a compressed segment held in memory (for small segments). */
    public static byte[] toBytes(List<CpioEntry> entries, long firstInode) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DeterministicGzip gzip = new DeterministicGzip(bytes, GZIP_LEVEL)) {
            new CpioWriter(firstInode).write(entries, gzip);
        }
        return bytes.toByteArray();
    }

    /**
     * Entries for everything under {@code hostDirectory}, placed under {@code guestPrefix}
     * (directories included; symlinks kept as links; the owner's execute bit kept).
     */
    public static List<CpioEntry> tree(Path hostDirectory, String guestPrefix) throws IOException {
        List<CpioEntry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(hostDirectory)) {
            for (Path host : (Iterable<Path>) walk::iterator) {
                String relative = hostDirectory.relativize(host).toString().replace('\\', '/');
                String guest = relative.isEmpty() ? guestPrefix : guestPrefix + "/" + relative;
                if (Files.isSymbolicLink(host)) {
                    entries.add(CpioEntry.symlink(guest, Files.readSymbolicLink(host).toString()));
                } else if (Files.isDirectory(host)) {
                    entries.add(CpioEntry.directory(guest));
                } else {
                    entries.add(CpioEntry.file(guest, CpioEntry.Content.ofFile(host), Files.isExecutable(host)));
                }
            }
        }
        return entries;
    }

    /** Directory entries for every parent of {@code path} (e.g. "a", "a/b" for "a/b/c"). */
    public static List<CpioEntry> parents(String path) {
        List<CpioEntry> parents = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            parents.add(CpioEntry.directory(path.substring(0, slash)));
        }
        return parents;
    }
}
