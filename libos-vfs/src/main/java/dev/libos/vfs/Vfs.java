package dev.libos.vfs;

import static dev.libos.vfs.OpenFlags.O_APPEND;
import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_DIRECTORY;
import static dev.libos.vfs.OpenFlags.O_EXCL;
import static dev.libos.vfs.OpenFlags.O_NOFOLLOW;
import static dev.libos.vfs.OpenFlags.O_TRUNC;

import dev.libos.vfs.PathWalker.ParentAndName;
import dev.libos.vfs.spi.FileSystem;
import dev.libos.vfs.spi.Vnode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The virtual file system: a mount table of {@link FileSystem}s, path resolution, file
 * descriptors, and the POSIX calls over them. Every failure is a {@link VfsException} whose
 * {@link Errno} follows POSIX (Linux where POSIX leaves a choice) and whose message names the path.
 *
 * <p><b>Locking story</b> (usable from any thread, libos threads included; all locks are
 * java.util.concurrent locks, on which a libos thread parks and frees its CPU):
 * <ul>
 *   <li>the mount table is an immutable snapshot in a volatile field, replaced under
 *       {@link #mountTableLock} on mount and unmount; resolution reads it without locking;</li>
 *   <li>each {@link Mount} has one lock that serialises every call into its file system and
 *       guards its dentry cache and open counts (file systems are single-threaded code). A
 *       thread holds one mount lock at a time, except {@link #rename}, which first takes
 *       {@link #renameLock} (so no two renames run at once and no cycle of mount locks can form;
 *       it also makes the "destination inside source" check race-free);</li>
 *   <li>an open file's offset is guarded by its own lock, taken before the mount lock;</li>
 *   <li>the descriptor table is synchronised on itself, held only to add, find or drop a slot.</li>
 * </ul>
 */
public final class Vfs implements AutoCloseable {
    private final Object mountTableLock = new Object();
    /** Replaced under {@link #mountTableLock}; volatile so resolution sees a whole snapshot. */
    private volatile MountTable mountTable;
    private final ReentrantLock renameLock = new ReentrantLock();
    private final PathWalker walker = new PathWalker(() -> mountTable);
    private final FdTable fds;
    private final AtomicLong nextDevice = new AtomicLong(1);

    /** A VFS with {@code root} mounted at "/" and at most 1024 open descriptors. */
    public Vfs(FileSystem root) {
        this(root, 1024);
    }

    public Vfs(FileSystem root, int maxOpenFiles) {
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("maxOpenFiles must be positive: " + maxOpenFiles);
        }
        this.mountTable = MountTable.of(new Mount(nextDevice.getAndIncrement(), "/", root, null, null));
        this.fds = new FdTable(maxOpenFiles);
    }

    @FunctionalInterface
    private interface Op<T> {
        T run() throws VfsException;
    }

    /** Runs {@code op} under {@code mount}'s lock, naming {@code path} in any failure. */
    private static <T> T locked(Mount mount, String path, Op<T> op) throws VfsException {
        mount.lock.lock();
        try {
            if (mount.detached) {
                throw new VfsException(Errno.ENOENT, path, "file system unmounted");
            }
            return op.run();
        } catch (VfsException e) {
            throw e.withPath(path);
        } finally {
            mount.lock.unlock();
        }
    }

    private static void requireWritable(Mount mount, String path) throws VfsException {
        if (mount.fs.isReadOnly()) {
            throw new VfsException(Errno.EROFS, path);
        }
    }

    /** A directory taken from a walk may have been removed since; creating in it is ENOENT. */
    private static void requireLive(Vnode dir, String path) throws VfsException {
        if (dir.links() == 0) {
            throw new VfsException(Errno.ENOENT, path, "directory was removed");
        }
    }

    // ---------------------------------------------------------------- mounts

    /**
     * Mounts {@code fs} on directory {@code path}, hiding what was there.
     *
     * @throws VfsException ENOTDIR when {@code path} is not a directory, EBUSY for "/"
     */
    public void mount(String path, FileSystem fs) throws VfsException {
        List<Location> chain = walker.resolveChain(path, true);
        Location at = chain.getLast();
        if (at.vnode().type() != FileType.DIRECTORY) {
            throw new VfsException(Errno.ENOTDIR, path);
        }
        if (chain.size() == 1) {
            throw new VfsException(Errno.EBUSY, path, "cannot mount over /");
        }
        synchronized (mountTableLock) {
            Mount mount = new Mount(nextDevice.getAndIncrement(), normalize(chain, path), fs, at.mount(), at.vnode());
            mountTable = mountTable.with(mount);
        }
    }

    /**
     * Unmounts the file system mounted on {@code path}, syncing it first.
     *
     * @throws VfsException EINVAL when nothing is mounted there, EBUSY while files are open on it
     *     or something is mounted below it
     */
    public void unmount(String path) throws VfsException {
        Location at = walker.resolve(path, true);
        Mount mount = at.mount();
        if (mount == mountTable.root() || !mount.isRootOf(at.vnode())) {
            throw new VfsException(Errno.EINVAL, path, "not a mount point");
        }
        synchronized (mountTableLock) {
            if (mountTable.hasChildren(mount)) {
                throw new VfsException(Errno.EBUSY, path, "a file system is mounted below it");
            }
            locked(mount, path, () -> {
                if (mount.hasOpenFiles()) {
                    throw new VfsException(Errno.EBUSY, path, "files are open on it");
                }
                mount.fs.unmount();
                mount.detached = true;
                return null;
            });
            mountTable = mountTable.without(mount);
        }
    }

    /** The mounts, in mount order. */
    public List<MountInfo> mounts() {
        List<MountInfo> list = new ArrayList<>();
        for (Mount m : mountTable.mounts()) {
            list.add(new MountInfo(m.id, m.path, m.fs.type(), m.fs.isReadOnly()));
        }
        return list;
    }

    private static String normalize(List<Location> chain, String path) {
        return path.startsWith("/") ? path : "/" + path;
    }

    // ---------------------------------------------------------------- descriptors

    /**
     * Opens {@code path} with {@link OpenFlags} {@code flags}; returns the lowest free descriptor.
     *
     * @throws VfsException EINVAL for unknown flags, ENOENT, EEXIST (O_CREAT|O_EXCL), EISDIR
     *     (a directory opened for writing), ENOTDIR (O_DIRECTORY), ELOOP (O_NOFOLLOW on a
     *     symlink), EROFS, EMFILE
     */
    public int open(String path, int flags) throws VfsException {
        if (!OpenFlags.valid(flags)) {
            throw new VfsException(Errno.EINVAL, path, "bad open flags 0x" + Integer.toHexString(flags));
        }
        // The number first (EMFILE before any change, as Linux does); released on any failure.
        int fd = fds.reserve(path);
        try {
            OpenFile file = openFile(path, flags);
            fds.install(fd, file);
            return fd;
        } catch (VfsException | RuntimeException | Error e) {
            fds.release(fd);
            throw e;
        }
    }

    /** The open of {@link #open} once a descriptor number is held; counts the vnode opened. */
    private OpenFile openFile(String path, int flags) throws VfsException {
        if ((flags & O_CREAT) != 0) {
            ParentAndName p = walker.resolveParent(path);
            if (p.name().isEmpty() || p.name().equals(".") || p.name().equals("..")) {
                throw new VfsException(Errno.EISDIR, path);
            }
            Location dir = p.parent();
            Vnode created = locked(dir.mount(), path, () -> {
                requireLive(dir.vnode(), path);
                Vnode existing = dir.mount().dentries.lookup(dir.vnode(), p.name());
                if (existing == null) {
                    if (p.trailingSlash()) {
                        throw new VfsException(Errno.EISDIR, path);
                    }
                    requireWritable(dir.mount(), path);
                    Vnode vnode = dir.vnode().create(p.name(), FileType.REGULAR);
                    dir.mount().opened(vnode);
                    return vnode;
                }
                if ((flags & O_EXCL) != 0) {
                    throw new VfsException(Errno.EEXIST, path);
                }
                return null;
            });
            if (created != null) {
                return new OpenFile(dir.mount(), created, flags, path);
            }
        }
        Location at = walker.resolve(path, (flags & O_NOFOLLOW) == 0);
        Vnode vnode = at.vnode();
        locked(at.mount(), path, () -> {
            if (vnode.type() == FileType.SYMLINK) {
                throw new VfsException(Errno.ELOOP, path, "O_NOFOLLOW on a symbolic link");
            }
            if ((flags & O_DIRECTORY) != 0 && vnode.type() != FileType.DIRECTORY) {
                throw new VfsException(Errno.ENOTDIR, path);
            }
            boolean writable = OpenFlags.writable(flags);
            if (vnode.type() == FileType.DIRECTORY && (writable || (flags & O_TRUNC) != 0)) {
                throw new VfsException(Errno.EISDIR, path);
            }
            if (writable && vnode.type() == FileType.REGULAR) {
                requireWritable(at.mount(), path);
                if ((flags & O_TRUNC) != 0) {
                    vnode.truncate(0);
                }
            }
            at.mount().opened(vnode);
            return null;
        });
        return new OpenFile(at.mount(), vnode, flags, path);
    }

    /** Closes {@code fd}; an unlinked file is reclaimed when its last descriptor closes. */
    public void close(int fd) throws VfsException {
        OpenFile file = fds.remove(fd);
        locked(file.mount, file.path, () -> {
            file.mount.closed(file.vnode);
            return null;
        });
    }

    /** Reads at the descriptor's offset and advances it; -1 at end of file. */
    public int read(int fd, ByteBuffer dst) throws VfsException {
        OpenFile file = readableFile(fd);
        file.lock.lock();
        try {
            int n = locked(file.mount, file.path, () -> file.vnode.read(file.offset, dst));
            if (n > 0) {
                file.offset += n;
            }
            return n;
        } finally {
            file.lock.unlock();
        }
    }

    /** Reads at {@code position}, leaving the offset alone; -1 at end of file. */
    public int pread(int fd, ByteBuffer dst, long position) throws VfsException {
        OpenFile file = readableFile(fd);
        if (position < 0) {
            throw new VfsException(Errno.EINVAL, file.path, "negative position " + position);
        }
        return locked(file.mount, file.path, () -> file.vnode.read(position, dst));
    }

    /** Writes at the descriptor's offset (at the end with O_APPEND) and advances it. */
    public int write(int fd, ByteBuffer src) throws VfsException {
        OpenFile file = writableFile(fd);
        file.lock.lock();
        try {
            return locked(file.mount, file.path, () -> {
                // O_APPEND: finding the end and writing there are one step under the mount lock.
                long at = (file.flags & O_APPEND) != 0 ? file.vnode.size() : file.offset;
                int n = file.vnode.write(at, src);
                file.offset = at + n;
                return n;
            });
        } finally {
            file.lock.unlock();
        }
    }

    /** Writes at {@code position}, leaving the offset alone. */
    public int pwrite(int fd, ByteBuffer src, long position) throws VfsException {
        OpenFile file = writableFile(fd);
        if (position < 0) {
            throw new VfsException(Errno.EINVAL, file.path, "negative position " + position);
        }
        return locked(file.mount, file.path, () -> file.vnode.write(position, src));
    }

    /** Moves the offset; returns the new offset. Seeking past the end is allowed (a later write leaves a hole). */
    public long seek(int fd, long offset, Whence whence) throws VfsException {
        OpenFile file = fds.get(fd);
        file.lock.lock();
        try {
            long base = switch (whence) {
                case SET -> 0;
                case CUR -> file.offset;
                case END -> locked(file.mount, file.path, file.vnode::size);
            };
            long next = base + offset;
            if (next < 0) {
                throw new VfsException(Errno.EINVAL, file.path, "offset would be " + next);
            }
            file.offset = next;
            return next;
        } finally {
            file.lock.unlock();
        }
    }

    /** Sets the size of the file open for writing on {@code fd}. */
    public void ftruncate(int fd, long size) throws VfsException {
        OpenFile file = writableFile(fd);
        truncate(file.mount, file.vnode, file.path, size);
    }

    /** Sets the size of regular file {@code path}. */
    public void truncate(String path, long size) throws VfsException {
        Location at = walker.resolve(path, true);
        if (at.vnode().type() == FileType.DIRECTORY) {
            throw new VfsException(Errno.EISDIR, path);
        }
        truncate(at.mount(), at.vnode(), path, size);
    }

    private static void truncate(Mount mount, Vnode vnode, String path, long size) throws VfsException {
        if (size < 0) {
            throw new VfsException(Errno.EINVAL, path, "negative size " + size);
        }
        locked(mount, path, () -> {
            if (vnode.type() != FileType.REGULAR) {
                throw new VfsException(Errno.EINVAL, path, "not a regular file");
            }
            requireWritable(mount, path);
            vnode.truncate(size);
            return null;
        });
    }

    /** Makes the file's data durable on its device before returning. */
    public void fsync(int fd) throws VfsException {
        OpenFile file = fds.get(fd);
        locked(file.mount, file.path, () -> {
            file.vnode.fsync();
            return null;
        });
    }

    /** The attributes of the file open on {@code fd}. */
    public FileStat fstat(int fd) throws VfsException {
        OpenFile file = fds.get(fd);
        return locked(file.mount, file.path, () -> statOf(file.mount, file.vnode));
    }

    /** The descriptors open now. */
    public List<Integer> openDescriptors() {
        return fds.openFds();
    }

    private OpenFile readableFile(int fd) throws VfsException {
        OpenFile file = fds.get(fd);
        if (!OpenFlags.readable(file.flags)) {
            throw new VfsException(Errno.EBADF, file.path, "fd " + fd + " is not open for reading");
        }
        if (file.vnode.type() == FileType.DIRECTORY) {
            throw new VfsException(Errno.EISDIR, file.path);
        }
        return file;
    }

    private OpenFile writableFile(int fd) throws VfsException {
        OpenFile file = fds.get(fd);
        if (!OpenFlags.writable(file.flags)) {
            throw new VfsException(Errno.EBADF, file.path, "fd " + fd + " is not open for writing");
        }
        return file;
    }

    // ---------------------------------------------------------------- names

    /** The attributes of {@code path}, following a final symlink. */
    public FileStat stat(String path) throws VfsException {
        Location at = walker.resolve(path, true);
        return locked(at.mount(), path, () -> statOf(at.mount(), at.vnode()));
    }

    /** The attributes of {@code path}; a final symlink is described itself. */
    public FileStat lstat(String path) throws VfsException {
        Location at = walker.resolve(path, false);
        return locked(at.mount(), path, () -> statOf(at.mount(), at.vnode()));
    }

    /** True when {@code path} resolves (following symlinks). */
    public boolean exists(String path) {
        try {
            walker.resolve(path, true);
            return true;
        } catch (VfsException e) {
            return false;
        }
    }

    private static FileStat statOf(Mount mount, Vnode vnode) {
        return new FileStat(mount.id, vnode.ino(), vnode.type(), vnode.size(), vnode.links());
    }

    /** The entries of directory {@code path}, sorted by name, without "." and "..". */
    public List<DirEntry> readdir(String path) throws VfsException {
        Location at = walker.resolve(path, true);
        if (at.vnode().type() != FileType.DIRECTORY) {
            throw new VfsException(Errno.ENOTDIR, path);
        }
        return locked(at.mount(), path, () -> at.vnode().readdir());
    }

    /** Creates directory {@code path}. */
    public void mkdir(String path) throws VfsException {
        ParentAndName p = walker.resolveParent(path);
        if (p.name().isEmpty() || p.name().equals(".") || p.name().equals("..")) {
            throw new VfsException(Errno.EEXIST, path);
        }
        Location dir = p.parent();
        locked(dir.mount(), path, () -> {
            requireLive(dir.vnode(), path);
            if (dir.mount().dentries.lookup(dir.vnode(), p.name()) != null) {
                throw new VfsException(Errno.EEXIST, path);
            }
            requireWritable(dir.mount(), path);
            return dir.vnode().create(p.name(), FileType.DIRECTORY);
        });
    }

    /** Removes empty directory {@code path}. */
    public void rmdir(String path) throws VfsException {
        ParentAndName p = walker.resolveParent(path);
        switch (p.name()) {
            case "" -> throw new VfsException(Errno.EBUSY, path);
            case "." -> throw new VfsException(Errno.EINVAL, path);
            case ".." -> throw new VfsException(Errno.ENOTEMPTY, path);
            default -> { }
        }
        Location dir = p.parent();
        locked(dir.mount(), path, () -> {
            Vnode victim = dir.mount().dentries.lookup(dir.vnode(), p.name());
            if (victim == null) {
                throw new VfsException(Errno.ENOENT, path);
            }
            if (victim.type() != FileType.DIRECTORY) {
                throw new VfsException(Errno.ENOTDIR, path);
            }
            if (mountTable.mountedOn(dir.mount(), victim) != null) {
                throw new VfsException(Errno.EBUSY, path, "a file system is mounted on it");
            }
            requireWritable(dir.mount(), path);
            if (victim.size() != 0) {
                throw new VfsException(Errno.ENOTEMPTY, path);
            }
            remove(dir, p.name());
            return null;
        });
    }

    /** Removes name {@code path} (not a directory); the file goes with its last link and descriptor. */
    public void unlink(String path) throws VfsException {
        ParentAndName p = walker.resolveParent(path);
        if (p.name().isEmpty() || p.name().equals(".") || p.name().equals("..")) {
            throw new VfsException(Errno.EISDIR, path);
        }
        Location dir = p.parent();
        locked(dir.mount(), path, () -> {
            Vnode victim = dir.mount().dentries.lookup(dir.vnode(), p.name());
            if (victim == null) {
                throw new VfsException(Errno.ENOENT, path);
            }
            if (victim.type() == FileType.DIRECTORY) {
                throw new VfsException(Errno.EISDIR, path);
            }
            if (p.trailingSlash()) {
                throw new VfsException(Errno.ENOTDIR, path);
            }
            requireWritable(dir.mount(), path);
            remove(dir, p.name());
            return null;
        });
    }

    /** Removes entry {@code name} of {@code dir}. Caller holds the mount lock and checked the entry. */
    private static void remove(Location dir, String name) throws VfsException {
        dir.mount().dentries.forget(dir.vnode(), name);
        Vnode removed = dir.vnode().unlink(name);
        dir.mount().unlinked(removed);
    }

    /** Creates {@code newPath} as another name of the existing non-directory {@code existingPath}. */
    public void link(String existingPath, String newPath) throws VfsException {
        Location source = walker.resolve(existingPath, false);
        if (source.vnode().type() == FileType.DIRECTORY) {
            throw new VfsException(Errno.EPERM, existingPath, "hard link to a directory");
        }
        ParentAndName p = walker.resolveParent(newPath);
        if (p.name().isEmpty() || p.name().equals(".") || p.name().equals("..")) {
            throw new VfsException(Errno.EEXIST, newPath);
        }
        Location dir = p.parent();
        if (dir.mount() != source.mount()) {
            throw new VfsException(Errno.EXDEV, newPath, "link across file systems from " + existingPath);
        }
        locked(dir.mount(), newPath, () -> {
            requireLive(dir.vnode(), newPath);
            if (dir.mount().dentries.lookup(dir.vnode(), p.name()) != null) {
                throw new VfsException(Errno.EEXIST, newPath);
            }
            requireWritable(dir.mount(), newPath);
            if (source.vnode().links() == 0) {
                throw new VfsException(Errno.ENOENT, existingPath, "file was removed");
            }
            dir.vnode().link(p.name(), source.vnode());
            return null;
        });
    }

    /** Creates symbolic link {@code linkPath} whose target is the text {@code target}. */
    public void symlink(String target, String linkPath) throws VfsException {
        if (target == null || target.isEmpty()) {
            throw new VfsException(Errno.ENOENT, linkPath, "empty symlink target");
        }
        ParentAndName p = walker.resolveParent(linkPath);
        if (p.name().isEmpty() || p.name().equals(".") || p.name().equals("..")) {
            throw new VfsException(Errno.EEXIST, linkPath);
        }
        Location dir = p.parent();
        locked(dir.mount(), linkPath, () -> {
            requireLive(dir.vnode(), linkPath);
            if (dir.mount().dentries.lookup(dir.vnode(), p.name()) != null) {
                throw new VfsException(Errno.EEXIST, linkPath);
            }
            requireWritable(dir.mount(), linkPath);
            return dir.vnode().symlink(p.name(), target);
        });
    }

    /** The target text of symlink {@code path}. */
    public String readlink(String path) throws VfsException {
        Location at = walker.resolve(path, false);
        if (at.vnode().type() != FileType.SYMLINK) {
            throw new VfsException(Errno.EINVAL, path, "not a symbolic link");
        }
        return locked(at.mount(), path, () -> at.vnode().readlink());
    }

    /**
     * Renames {@code from} to {@code to} atomically, replacing a compatible {@code to} (a file by
     * a non-directory, an empty directory by a directory).
     *
     * @throws VfsException EXDEV across mounts, EINVAL when {@code to} is inside {@code from},
     *     EISDIR/ENOTDIR for incompatible types, ENOTEMPTY, EBUSY for mount points
     */
    public void rename(String from, String to) throws VfsException {
        renameLock.lock();
        try {
            ParentAndName src = walker.resolveParent(from);
            ParentAndName dst = walker.resolveParent(to);
            checkRenameName(src.name(), from);
            checkRenameName(dst.name(), to);
            Location srcDir = src.parent();
            Location dstDir = dst.parent();
            if (srcDir.mount() != dstDir.mount()) {
                throw new VfsException(Errno.EXDEV, to, "rename across file systems from " + from);
            }
            Mount mount = srcDir.mount();
            locked(mount, from, () -> {
                requireLive(srcDir.vnode(), from);
                requireLive(dstDir.vnode(), to);
                Vnode moving = mount.dentries.lookup(srcDir.vnode(), src.name());
                if (moving == null) {
                    throw new VfsException(Errno.ENOENT, from);
                }
                MountTable table = mountTable;
                if (table.mountedOn(mount, moving) != null) {
                    throw new VfsException(Errno.EBUSY, from, "a file system is mounted on it");
                }
                Vnode replaced = mount.dentries.lookup(dstDir.vnode(), dst.name());
                if (replaced == moving) {
                    return null; // two names of one file: POSIX says do nothing
                }
                if (moving.type() == FileType.DIRECTORY) {
                    for (Location ancestor : dst.chain()) {
                        if (ancestor.vnode() == moving) {
                            throw new VfsException(Errno.EINVAL, to, "destination inside " + from);
                        }
                    }
                    if (replaced != null && replaced.type() != FileType.DIRECTORY) {
                        throw new VfsException(Errno.ENOTDIR, to);
                    }
                } else {
                    if (src.trailingSlash() || dst.trailingSlash()) {
                        throw new VfsException(Errno.ENOTDIR, from);
                    }
                    if (replaced != null && replaced.type() == FileType.DIRECTORY) {
                        throw new VfsException(Errno.EISDIR, to);
                    }
                }
                if (replaced != null && table.mountedOn(mount, replaced) != null) {
                    throw new VfsException(Errno.EBUSY, to, "a file system is mounted on it");
                }
                requireWritable(mount, to);
                if (replaced != null) {
                    if (replaced.type() == FileType.DIRECTORY && replaced.size() != 0) {
                        throw new VfsException(Errno.ENOTEMPTY, to);
                    }
                    remove(dstDir, dst.name());
                }
                mount.dentries.forget(srcDir.vnode(), src.name());
                srcDir.vnode().rename(src.name(), dstDir.vnode(), dst.name());
                return null;
            });
        } finally {
            renameLock.unlock();
        }
    }

    private static void checkRenameName(String name, String path) throws VfsException {
        if (name.isEmpty()) {
            throw new VfsException(Errno.EBUSY, path);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new VfsException(Errno.EINVAL, path);
        }
    }

    // ---------------------------------------------------------------- whole VFS

    /** Makes every mounted file system durable. */
    public void sync() throws VfsException {
        for (Mount mount : mountTable.mounts()) {
            locked(mount, mount.path, () -> {
                mount.fs.sync();
                return null;
            });
        }
    }

    /** Closes every descriptor and unmounts everything, the root last. */
    @Override
    public void close() throws VfsException {
        for (int fd : fds.openFds()) {
            close(fd);
        }
        synchronized (mountTableLock) {
            List<Mount> all = new ArrayList<>(mountTable.mounts());
            for (int i = all.size() - 1; i >= 0; i--) {
                Mount mount = all.get(i);
                locked(mount, mount.path, () -> {
                    mount.fs.unmount();
                    mount.detached = true;
                    return null;
                });
            }
        }
    }
}
