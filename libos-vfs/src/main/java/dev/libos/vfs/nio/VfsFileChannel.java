package dev.libos.vfs.nio;

import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.Whence;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A VFS descriptor as a {@link FileChannel}, for {@code FileChannel.open} (and the JDK code that
 * uses it, such as {@code Files.lines}) on routed paths. Not supported: {@link #map} (no memory
 * mapping in the VFS). Locks are granted at once and only mark the range: one address space,
 * no other process to exclude (overlaps inside the JVM are not detected).
 */
final class VfsFileChannel extends FileChannel {
    private final Vfs vfs;
    private final int fd;
    private final Path path;
    private final boolean append;

    VfsFileChannel(Vfs vfs, int fd, Path path, boolean append) {
        this.vfs = vfs;
        this.fd = fd;
        this.path = path;
        this.append = append;
    }

    private IOException translate(VfsException e) {
        return LibosFileSystemProvider.translate(e, path);
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        try {
            return vfs.read(fd, dst);
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        try {
            return vfs.write(fd, src);
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        try {
            return append ? vfs.fstat(fd).size() : vfs.seek(fd, 0, Whence.CUR);
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position: " + newPosition);
        }
        try {
            vfs.seek(fd, newPosition, Whence.SET);
            return this;
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        try {
            return vfs.fstat(fd).size();
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    /** Shrinks the file to {@code size} (never grows it) and keeps the position at most {@code size}. */
    @Override
    public FileChannel truncate(long size) throws IOException {
        ensureOpen();
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        try {
            if (size < vfs.fstat(fd).size()) {
                vfs.ftruncate(fd, size);
            }
            if (vfs.seek(fd, 0, Whence.CUR) > size) {
                vfs.seek(fd, size, Whence.SET);
            }
            return this;
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        try {
            vfs.fsync(fd);
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = read(buffer, position + done);
            if (n <= 0) {
                break;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                target.write(buffer);
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = src.read(buffer);
            if (n <= 0) {
                break;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                done += write(buffer, position + done);
            }
        }
        return done;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        ensureOpen();
        try {
            return vfs.pread(fd, dst, position);
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        ensureOpen();
        try {
            return vfs.pwrite(fd, src, position);
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("the libos VFS cannot memory-map files: " + path);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        ensureOpen();
        return new GrantedLock(this, position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return lock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        try {
            vfs.close(fd);
        } catch (VfsException e) {
            throw translate(e);
        }
    }

    /** A lock granted at once (see the class comment). */
    private static final class GrantedLock extends FileLock {
        private volatile boolean released;

        GrantedLock(FileChannel channel, long position, long size, boolean shared) {
            super(channel, position, size, shared);
        }

        @Override
        public boolean isValid() {
            return !released && channel().isOpen();
        }

        @Override
        public void release() {
            released = true;
        }
    }
}
