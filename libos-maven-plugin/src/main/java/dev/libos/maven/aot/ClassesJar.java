package dev.libos.maven.aot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The application's classes directory as a jar whose bytes depend only on the files: entries
 * sorted, every time 1980-01-01 00:00 local (zip's DOS epoch, no time zone involved), no extra
 * fields. An AOT cache (like any CDS archive) takes classes from jars only: a non-empty directory
 * on the class path stops the cache from being written.
 */
public final class ClassesJar {
    static final LocalDateTime DOS_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private ClassesJar() {
    }

    /** The jar of {@code classesDirectory}'s tree. */
    public static byte[] of(Path classesDirectory) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(classesDirectory)) {
            paths = walk.filter(p -> !p.equals(classesDirectory))
                    .sorted((a, b) -> name(classesDirectory, a).compareTo(name(classesDirectory, b))).toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path path : paths) {
                boolean directory = Files.isDirectory(path);
                ZipEntry entry = new ZipEntry(name(classesDirectory, path) + (directory ? "/" : ""));
                entry.setTimeLocal(DOS_EPOCH);
                zip.putNextEntry(entry);
                if (!directory) {
                    Files.copy(path, zip);
                }
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String name(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }
}
