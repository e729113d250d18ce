package dev.libos.vfs.ramfs;

import dev.libos.vfs.FileType;
import dev.libos.vfs.spi.FileSystem;
import dev.libos.vfs.spi.Vnode;

/**
 * A file system in heap memory: directories are sorted maps, files are growable byte arrays
 * (so at most {@link RamNode#MAX_FILE_SIZE} bytes each). Nothing is durable; sync is a no-op.
 * Single-threaded: the VFS serialises calls (see {@link FileSystem}).
 */
public final class RamFs implements FileSystem {
    private final RamNode root;
    private long nextIno = 1;

    public RamFs() {
        root = new RamNode(this, FileType.DIRECTORY);
        root.links = 2;
    }

    long allocateIno() {
        return nextIno++;
    }

    @Override
    public String type() {
        return "ramfs";
    }

    @Override
    public Vnode root() {
        return root;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public void sync() {
    }

    @Override
    public void unmount() {
    }
}
