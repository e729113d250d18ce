package dev.libos.maven.aot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The directory the AOT training and dump run in. The archive records the absolute paths of the
 * runtime and the class path it was made from (the guest accepts them moved together under another
 * prefix), so the directory's path is part of the archive's bytes: it is a fixed path derived from
 * the inputs' key, {@code /tmp/libos-aot-KEY}, the same in every build and on every host, guarded
 * by a lock file so that two builds of the same inputs take turns. When that path cannot be had
 * (another user's directory, no /tmp), a fresh temporary directory is used and the cache is not
 * byte-reproducible; the build says so. The directory is removed when closed.
 */
final class TrainingStage implements AutoCloseable {
    static final Path BASE = Path.of("/tmp");
    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private TrainingStage(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The stage for inputs with key {@code key} (hex), falling back to a directory under {@code fallbackParent}. */
    static TrainingStage open(String key, Path fallbackParent, Consumer<String> log) throws IOException {
        String name = "libos-aot-" + key.substring(0, Math.min(16, key.length()));
        Path root = BASE.resolve(name);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(BASE.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            deleteTree(root); // left over by a build that was killed
            Files.createDirectory(root);
            return new TrainingStage(root, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            Path fallback = Files.createTempDirectory(fallbackParent, "train-");
            log.accept("WARNING: cannot use " + root + " (" + e + "); training in " + fallback
                    + ", so the AOT cache records that path and is not byte-reproducible");
            return new TrainingStage(fallback, null, null);
        }
    }

    Path root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        try {
            deleteTree(root);
        } finally {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
