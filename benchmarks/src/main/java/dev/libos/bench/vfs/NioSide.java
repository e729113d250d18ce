package dev.libos.bench.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Linux side: the jobs through {@code java.nio.file} in a fresh directory of a host file
 * system (tmpfs or the local disk), as unmodified Java code does them. The directory and
 * everything in it are deleted on close.
 */
final class NioSide implements FileSide {
    private final Path dir;

    private NioSide(Path dir) {
        this.dir = dir;
    }

    /**
     * A new directory under {@code parent}, whose file store must be of type {@code storeType}
     * ("tmpfs") or, when {@code storeType} is null, anything but tmpfs (a disk).
     *
     * @throws IllegalArgumentException naming the store when it is not the kind asked for
     */
    static NioSide in(Path parent, String storeType) throws IOException {
        String type = Files.getFileStore(parent).type();
        boolean ok = storeType == null ? !type.equals("tmpfs") : type.equals(storeType);
        if (!ok) {
            throw new IllegalArgumentException(parent + " is on a " + type + " file system, not "
                    + (storeType == null ? "a disk" : storeType));
        }
        return new NioSide(Files.createTempDirectory(parent, "libos-bench-nio-"));
    }

    @Override
    public void createStatUnlink(String name) throws IOException {
        Path path = dir.resolve(name);
        Files.createFile(path);
        FileSide.check("size of new " + path, 0, Files.readAttributes(path, BasicFileAttributes.class).size());
        Files.delete(path);
    }

    @Override
    public byte smallFileWriteFsyncRead(String name, ByteBuffer data, ByteBuffer readBack) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileSide.check("written", SMALL_FILE_BYTES, channel.write(data.clear(), 0));
            channel.force(true); // fsync(2), as the libos side's fsync
            FileSide.check("read", SMALL_FILE_BYTES, channel.read(readBack.clear(), 0));
            return readBack.get(0);
        }
    }

    @Override
    public void sequentialWrite(String name, ByteBuffer chunk) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (int done = 0; done < LARGE_FILE_BYTES; done += CHUNK_BYTES) {
                FileSide.check("written", CHUNK_BYTES, channel.write(chunk.clear()));
            }
        }
    }

    @Override
    public long sequentialRead(String name, ByteBuffer chunk) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.READ)) {
            long total = 0;
            int n;
            while ((n = channel.read(chunk.clear())) > 0) {
                total += n;
            }
            return total;
        }
    }

    @Override
    public void prepareFile(String name, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer src = ByteBuffer.wrap(bytes);
            while (src.hasRemaining()) {
                channel.write(src);
            }
            channel.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
