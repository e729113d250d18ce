package dev.libos.vfs.nio;

import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.Whence;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/** A VFS descriptor as a {@link SeekableByteChannel}. */
final class LibosByteChannel implements SeekableByteChannel {
    private final Vfs vfs;
    private final int fd;
    private final Path path;
    private volatile boolean open = true;

    LibosByteChannel(Vfs vfs, int fd, Path path) {
        this.vfs = vfs;
        this.fd = fd;
        this.path = path;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        try {
            return vfs.read(fd, dst);
        } catch (VfsException e) {
            throw LibosFileSystemProvider.translate(e, path);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        try {
            return vfs.write(fd, src);
        } catch (VfsException e) {
            throw LibosFileSystemProvider.translate(e, path);
        }
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        try {
            return vfs.seek(fd, 0, Whence.CUR);
        } catch (VfsException e) {
            throw LibosFileSystemProvider.translate(e, path);
        }
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        try {
            vfs.seek(fd, newPosition, Whence.SET);
            return this;
        } catch (VfsException e) {
            throw LibosFileSystemProvider.translate(e, path);
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        try {
            return vfs.fstat(fd).size();
        } catch (VfsException e) {
            throw LibosFileSystemProvider.translate(e, path);
        }
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        ensureOpen();
        try {
            if (size < vfs.fstat(fd).size()) {
                vfs.ftruncate(fd, size);
            }
            return this;
        } catch (VfsException e) {
            throw LibosFileSystemProvider.translate(e, path);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            try {
                vfs.close(fd);
            } catch (VfsException e) {
                throw LibosFileSystemProvider.translate(e, path);
            }
        }
    }
}
