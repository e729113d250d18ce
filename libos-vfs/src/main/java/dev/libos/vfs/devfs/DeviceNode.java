package dev.libos.vfs.devfs;

import dev.libos.vfs.DirEntry;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.spi.Vnode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.random.RandomGenerator;

/** One character device of {@link DevFs}; positions are ignored. */
final class DeviceNode implements Vnode {
    enum Kind { NULL, ZERO, URANDOM, CONSOLE }

    private final long ino;
    private final Kind kind;
    private final RandomGenerator entropy;
    private final OutputStream console;

    DeviceNode(long ino, Kind kind, RandomGenerator entropy, OutputStream console) {
        this.ino = ino;
        this.kind = kind;
        this.entropy = entropy;
        this.console = console;
    }

    @Override
    public long ino() {
        return ino;
    }

    @Override
    public FileType type() {
        return FileType.CHAR_DEVICE;
    }

    @Override
    public long size() {
        return 0;
    }

    @Override
    public int links() {
        return 1;
    }

    @Override
    public Vnode lookup(String name) throws VfsException {
        throw VfsException.of(Errno.ENOTDIR, null);
    }

    @Override
    public List<DirEntry> readdir() throws VfsException {
        throw VfsException.of(Errno.ENOTDIR, null);
    }

    @Override
    public int read(long position, ByteBuffer dst) {
        int n = dst.remaining();
        switch (kind) {
            case NULL, CONSOLE -> {
                return n == 0 ? 0 : -1;
            }
            case ZERO -> {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            }
            case URANDOM -> {
                byte[] bytes = new byte[n];
                entropy.nextBytes(bytes);
                dst.put(bytes);
            }
        }
        return n;
    }

    @Override
    public int write(long position, ByteBuffer src) throws VfsException {
        int n = src.remaining();
        if (kind == Kind.CONSOLE) {
            byte[] bytes = new byte[n];
            src.get(bytes);
            try {
                console.write(bytes);
                console.flush();
            } catch (IOException e) {
                throw new VfsException(Errno.EIO, null, "console: " + e.getMessage(), e);
            }
        } else {
            src.position(src.limit()); // null, zero and urandom swallow writes (Linux)
        }
        return n;
    }
}
