package dev.libos.vfs.cowfs;

import dev.libos.vfs.DirEntry;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.spi.Vnode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cowfs inode in memory. A regular file keeps its committed block pointers and checksums
 * ({@link #blocks}, {@link #crcs}, {@link #blockCount} used) and its changed blocks
 * ({@link #dirty}, file block index to contents) until the next commit. Invariant: the bytes of
 * the last block past {@link #size} are zero, so growing a file shows zeros.
 */
final class CowInode implements Vnode {
    private final CowFs fs;
    private final long ino;
    private final FileType type;
    private int links;
    private long size;
    private long[] blocks = new long[0];
    private int[] crcs = new int[0];
    private int blockCount;
    private final TreeMap<Integer, byte[]> dirty = new TreeMap<>();
    final TreeMap<String, CowInode> children;
    private String target;

    CowInode(CowFs fs, long ino, FileType type) {
        this.fs = fs;
        this.ino = ino;
        this.type = type;
        this.children = type == FileType.DIRECTORY ? new TreeMap<>() : null;
    }

    CowInode(CowFs fs, InodeRecord record) {
        this(fs, record.ino(), record.type());
        this.links = record.links();
        this.size = record.size();
        if (record.blocks() != null) {
            this.blocks = record.blocks().clone();
            this.crcs = record.crcs().clone();
            this.blockCount = blocks.length;
        }
        this.target = record.target();
    }

    InodeRecord toRecord() {
        Map<String, Long> entries = null;
        if (type == FileType.DIRECTORY) {
            entries = new LinkedHashMap<>();
            for (Map.Entry<String, CowInode> e : children.entrySet()) {
                entries.put(e.getKey(), e.getValue().ino);
            }
        }
        return new InodeRecord(ino, type, links, type == FileType.REGULAR ? size : 0,
                type == FileType.REGULAR ? Arrays.copyOf(blocks, blockCount) : null,
                type == FileType.REGULAR ? Arrays.copyOf(crcs, blockCount) : null, entries, target);
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

    // ---------------------------------------------------------------- directories

    @Override
    public Vnode lookup(String name) {
        return children.get(name);
    }

    @Override
    public List<DirEntry> readdir() {
        List<DirEntry> entries = new ArrayList<>(children.size());
        for (Map.Entry<String, CowInode> e : children.entrySet()) {
            entries.add(new DirEntry(e.getKey(), e.getValue().ino, e.getValue().type));
        }
        return entries;
    }

    @Override
    public Vnode create(String name, FileType newType) throws VfsException {
        fs.checkWritable();
        if (newType != FileType.REGULAR && newType != FileType.DIRECTORY) {
            throw VfsException.of(Errno.EPERM, "cowfs cannot create " + newType);
        }
        CowInode child = fs.newInode(newType);
        child.links = newType == FileType.DIRECTORY ? 2 : 1;
        if (newType == FileType.DIRECTORY) {
            links++;
        }
        children.put(name, child);
        fs.markDirty(this);
        return child;
    }

    @Override
    public Vnode symlink(String name, String linkTarget) throws VfsException {
        fs.checkWritable();
        if (linkTarget.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
            throw VfsException.of(Errno.ENAMETOOLONG, "symlink target longer than 65535 bytes");
        }
        CowInode child = fs.newInode(FileType.SYMLINK);
        child.links = 1;
        child.target = linkTarget;
        children.put(name, child);
        fs.markDirty(this);
        return child;
    }

    @Override
    public void link(String name, Vnode existing) throws VfsException {
        fs.checkWritable();
        CowInode node = (CowInode) existing;
        node.links++;
        children.put(name, node);
        fs.markDirty(node);
        fs.markDirty(this);
    }

    @Override
    public Vnode unlink(String name) throws VfsException {
        fs.checkWritable();
        CowInode node = children.remove(name);
        if (node.type == FileType.DIRECTORY) {
            node.links = 0;
            links--;
        } else {
            node.links--;
        }
        fs.markDirty(node);
        fs.markDirty(this);
        return node;
    }

    @Override
    public void rename(String from, Vnode toDir, String to) throws VfsException {
        fs.checkWritable();
        CowInode node = children.remove(from);
        CowInode destination = (CowInode) toDir;
        destination.children.put(to, node);
        if (node.type == FileType.DIRECTORY && destination != this) {
            links--;
            destination.links++;
        }
        fs.markDirty(this);
        fs.markDirty(destination);
    }

    @Override
    public String readlink() {
        return target;
    }

    // ---------------------------------------------------------------- data

    /**
     * Contents of file block {@code index}: dirty copy, committed block (verified) or null for a
     * hole. A committed block's array may be the cache's: read it, never change it.
     */
    private byte[] blockContents(int index) throws VfsException {
        byte[] data = dirty.get(index);
        if (data != null) {
            return data;
        }
        if (index < blockCount && blocks[index] != 0) {
            return fs.readVerified(blocks[index], crcs[index], this, index);
        }
        return null;
    }

    @Override
    public int read(long position, ByteBuffer dst) throws VfsException {
        fs.checkUsable();
        if (position >= size) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int bs = fs.blockSize;
        int total = (int) Math.min(dst.remaining(), size - position);
        int done = 0;
        while (done < total) {
            long at = position + done;
            int index = (int) (at / bs);
            int offset = (int) (at % bs);
            int n = Math.min(bs - offset, total - done);
            byte[] data = blockContents(index);
            if (data == null) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                dst.put(data, offset, n);
            }
            done += n;
        }
        return total;
    }

    @Override
    public int write(long position, ByteBuffer src) throws VfsException {
        fs.checkWritable();
        int n = src.remaining();
        long end = position + n;
        if (end > CowFs.MAX_FILE_SIZE) {
            throw VfsException.of(Errno.EFBIG, "cowfs files end at " + CowFs.MAX_FILE_SIZE + " bytes");
        }
        if (n == 0) {
            return 0;
        }
        int bs = fs.blockSize;
        int first = (int) (position / bs);
        int last = (int) ((end - 1) / bs);
        long newlyDirty = 0;
        for (int i = first; i <= last; i++) {
            newlyDirty += dirty.containsKey(i) ? 0 : 1;
        }
        fs.markDirty(this); // first, so the reservation counts this inode's group
        fs.reserve(newlyDirty);
        for (int i = first; i <= last; i++) {
            byte[] data = dirty.get(i);
            if (data == null) {
                byte[] current = blockContents(i);
                data = current == null ? new byte[bs] : current.clone();
                dirty.put(i, data);
                fs.dirtyBlocks++;
            }
            long blockStart = (long) i * bs;
            int from = (int) Math.max(position - blockStart, 0);
            int to = (int) Math.min(end - blockStart, bs);
            src.get(data, from, to - from);
        }
        ensureBlocks(last + 1);
        size = Math.max(size, end);
        fs.markDirty(this);
        return n;
    }

    private void ensureBlocks(int count) {
        if (count > blocks.length) {
            int capacity = Math.max(count, blocks.length * 2);
            blocks = Arrays.copyOf(blocks, capacity);
            crcs = Arrays.copyOf(crcs, capacity);
        }
        blockCount = Math.max(blockCount, count);
    }

    @Override
    public void truncate(long newSize) throws VfsException {
        fs.checkWritable();
        if (newSize > CowFs.MAX_FILE_SIZE) {
            throw VfsException.of(Errno.EFBIG, "cowfs files end at " + CowFs.MAX_FILE_SIZE + " bytes");
        }
        int bs = fs.blockSize;
        if (newSize < size) {
            int keep = (int) ((newSize + bs - 1) / bs);
            int tail = (int) (newSize % bs);
            // Every check that can fail comes before the first change: the space for the
            // partial last block (reserve may also commit) and reading that block (EIO).
            byte[] partial = null;
            if (tail != 0) {
                if (!dirty.containsKey(keep - 1) && keep - 1 < blockCount && blocks[keep - 1] != 0) {
                    fs.markDirty(this);
                    fs.reserve(1);
                }
                partial = dirty.get(keep - 1);
                if (partial == null) {
                    byte[] committed = blockContents(keep - 1);
                    partial = committed == null ? null : committed.clone();
                }
            }
            for (int i = keep; i < blockCount; i++) {
                fs.release(blocks[i]);
                blocks[i] = 0;
            }
            blockCount = Math.min(blockCount, keep);
            fs.dirtyBlocks -= dirty.tailMap(keep).size();
            dirty.tailMap(keep).clear();
            if (partial != null) {
                if (!dirty.containsKey(keep - 1)) {
                    dirty.put(keep - 1, partial);
                    fs.dirtyBlocks++;
                }
                Arrays.fill(partial, tail, bs, (byte) 0);
            }
        }
        size = newSize;
        fs.markDirty(this);
    }

    @Override
    public void fsync() throws VfsException {
        fs.commit();
    }

    /** Commit step 1 for this file: every dirty block to a fresh block, old block released. */
    void writeDirtyBlocks(CowFs owner) throws IOException {
        for (Map.Entry<Integer, byte[]> e : dirty.entrySet()) {
            int index = e.getKey();
            long block = owner.allocateOrFail();
            owner.writeBlock(block, e.getValue());
            owner.release(blocks[index]);
            blocks[index] = block;
            crcs[index] = CowImage.crc(e.getValue());
        }
        dirty.clear();
    }

    /** Frees every block: the file is gone. */
    void releaseBlocks() {
        for (int i = 0; i < blockCount; i++) {
            fs.release(blocks[i]);
        }
        fs.dirtyBlocks -= dirty.size();
        dirty.clear();
        blockCount = 0;
    }
}
