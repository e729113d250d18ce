package dev.libos.vfs.ramfs;

import dev.libos.vfs.DirEntry;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.spi.Vnode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One ramfs file, directory or symlink. Guarded by the mount lock (see {@link RamFs}). */
final class RamNode implements Vnode {
    /** Largest file: a Java array's reach. */
    static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 16;

    private final RamFs fs;
    private final long ino;
    private final FileType type;
    int links;
    private final TreeMap<String, RamNode> children;
    private byte[] data = new byte[0];
    private int size;
    private String target;

    RamNode(RamFs fs, FileType type) {
        this.fs = fs;
        this.ino = fs.allocateIno();
        this.type = type;
        this.children = type == FileType.DIRECTORY ? new TreeMap<>() : null;
    }

    @Override
    public long ino() {
        return ino;
    }

    @Override
    public FileType type() {
        return type;
    }

    @Override
    public long size() {
        return switch (type) {
            case DIRECTORY -> children.size();
            case SYMLINK -> target.getBytes(StandardCharsets.UTF_8).length; // bytes, as POSIX
            default -> size;
        };
    }

    @Override
    public int links() {
        return links;
    }

    @Override
    public Vnode lookup(String name) {
        return children.get(name);
    }

    @Override
    public List<DirEntry> readdir() {
        List<DirEntry> entries = new ArrayList<>(children.size());
        for (Map.Entry<String, RamNode> e : children.entrySet()) {
            entries.add(new DirEntry(e.getKey(), e.getValue().ino, e.getValue().type));
        }
        return entries;
    }

    @Override
    public Vnode create(String name, FileType newType) {
        RamNode node = new RamNode(fs, newType);
        node.links = newType == FileType.DIRECTORY ? 2 : 1;
        if (newType == FileType.DIRECTORY) {
            links++; // the child's ".."
        }
        children.put(name, node);
        return node;
    }

    @Override
    public Vnode symlink(String name, String linkTarget) {
        RamNode node = new RamNode(fs, FileType.SYMLINK);
        node.target = linkTarget;
        node.links = 1;
        children.put(name, node);
        return node;
    }

    @Override
    public void link(String name, Vnode existing) {
        RamNode node = (RamNode) existing;
        node.links++;
        children.put(name, node);
    }

    @Override
    public Vnode unlink(String name) {
        RamNode node = children.remove(name);
        if (node.type == FileType.DIRECTORY) {
            node.links = 0;
            links--;
        } else {
            node.links--;
        }
        return node;
    }

    @Override
    public void rename(String from, Vnode toDir, String to) {
        RamNode node = children.remove(from);
        RamNode destination = (RamNode) toDir;
        destination.children.put(to, node);
        if (node.type == FileType.DIRECTORY && destination != this) {
            links--;
            destination.links++;
        }
    }

    @Override
    public int read(long position, ByteBuffer dst) {
        if (position >= size) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        dst.put(data, (int) position, n);
        return n;
    }

    @Override
    public int write(long position, ByteBuffer src) throws VfsException {
        int n = src.remaining();
        long end = position + n;
        if (end > MAX_FILE_SIZE) {
            throw VfsException.of(Errno.EFBIG, "ramfs files end at " + MAX_FILE_SIZE + " bytes");
        }
        ensureCapacity((int) end);
        src.get(data, (int) position, n);
        size = Math.max(size, (int) end);
        return n;
    }

    @Override
    public void truncate(long newSize) throws VfsException {
        if (newSize > MAX_FILE_SIZE) {
            throw VfsException.of(Errno.EFBIG, "ramfs files end at " + MAX_FILE_SIZE + " bytes");
        }
        if (newSize < size) {
            Arrays.fill(data, (int) newSize, size, (byte) 0);
        } else {
            ensureCapacity((int) newSize);
        }
        size = (int) newSize;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > data.length) {
            long grown = Math.max(capacity, Math.min(MAX_FILE_SIZE, Math.max(64, (long) data.length * 2)));
            data = Arrays.copyOf(data, (int) grown);
        }
    }

    @Override
    public String readlink() {
        return target;
    }
}
