package dev.libos.bench.vfs;

import dev.libos.vfs.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One side of a {@code vfs} comparison: the same file jobs done either through the libos
 * {@code Vfs} API ({@link VfsSide}) or through {@code java.nio.file} on a host directory
 * ({@link NioSide}). Every job checks its result and throws {@link IllegalStateException} when
 * it is wrong, so a side cannot win by doing less.
 */
interface FileSide extends AutoCloseable {
    /** Size of the small file of {@link #smallFileWriteFsyncRead}. */
    int SMALL_FILE_BYTES = 4096;
    /** Size of the file of {@link #sequentialWrite} and {@link #sequentialRead}. */
    int LARGE_FILE_BYTES = 1 << 20;
    /** The size of one read or write call of the sequential jobs. */
    int CHUNK_BYTES = 64 << 10;

    /** Creates empty file {@code name} (exclusive), stats it (checking the size), unlinks it. */
    void createStatUnlink(String name) throws IOException, VfsException;

    /**
     * Writes {@code data} (4 KiB) to {@code name} (created or truncated), makes it durable
     * (fsync), reads it back into {@code readBack} and closes; returns the first byte read.
     */
    byte smallFileWriteFsyncRead(String name, ByteBuffer data, ByteBuffer readBack) throws IOException, VfsException;

    /** Writes 1 MiB to {@code name} (created or truncated) in chunks of {@code chunk}, no fsync, and closes. */
    void sequentialWrite(String name, ByteBuffer chunk) throws IOException, VfsException;

    /** Reads all of {@code name} in chunks of {@code chunk}; returns the bytes read. */
    long sequentialRead(String name, ByteBuffer chunk) throws IOException, VfsException;

    /** Writes {@code bytes} to {@code name} and makes it durable: the setup of {@link #sequentialRead}. */
    void prepareFile(String name, byte[] bytes) throws IOException, VfsException;

    @Override
    void close() throws IOException, VfsException;

    /** Fails unless {@code actual == expected}. */
    static void check(String what, long expected, long actual) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }
}
