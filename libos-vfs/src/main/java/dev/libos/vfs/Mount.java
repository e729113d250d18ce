package dev.libos.vfs;

import dev.libos.vfs.spi.FileSystem;
import dev.libos.vfs.spi.Vnode;
import java.util.IdentityHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One mounted file system: its lock, dentry cache and open-file counts.
 *
 * <p><b>Locking.</b> {@link #lock} serialises every call into {@link #fs} and guards the dentry
 * cache and the open counts. It is a {@link ReentrantLock}: a libos thread that blocks on it
 * parks and frees its CPU. A thread holds at most one mount lock at a time, except a rename,
 * which holds the VFS-wide rename lock first (see {@link Vfs}), so mount locks cannot deadlock.
 */
final class Mount {
    final long id;
    final String path;
    final FileSystem fs;
    /** The mount this one covers a directory of; null for the root mount. */
    final Mount parent;
    /** The directory of {@link #parent} this mount covers; null for the root mount. */
    final Vnode covered;
    final ReentrantLock lock = new ReentrantLock();
    final DentryCache dentries = new DentryCache(4096);
    private final IdentityHashMap<Vnode, Integer> openCounts = new IdentityHashMap<>();
    /** Set (under {@link #lock}) once unmounted: a thread that resolved into it before then gets ENOENT. */
    boolean detached;

    Mount(long id, String path, FileSystem fs, Mount parent, Vnode covered) {
        this.id = id;
        this.path = path;
        this.fs = fs;
        this.parent = parent;
        this.covered = covered;
    }

    /** Counts one more open descriptor on {@code vnode}. Caller holds {@link #lock}. */
    void opened(Vnode vnode) {
        openCounts.merge(vnode, 1, Integer::sum);
    }

    /** Counts one descriptor closed; reclaims the file if it was the last one of an unlinked file. Caller holds {@link #lock}. */
    void closed(Vnode vnode) throws VfsException {
        int left = openCounts.merge(vnode, -1, Integer::sum);
        if (left == 0) {
            openCounts.remove(vnode);
            if (vnode.links() == 0) {
                fs.reclaim(vnode);
            }
        }
    }

    /** Reclaims {@code vnode} if it lost its last link and nothing has it open. Caller holds {@link #lock}. */
    void unlinked(Vnode vnode) throws VfsException {
        if (vnode.links() == 0 && !openCounts.containsKey(vnode)) {
            fs.reclaim(vnode);
        }
    }

    /** True when a descriptor is open on this mount. Caller holds {@link #lock}. */
    boolean hasOpenFiles() {
        return !openCounts.isEmpty();
    }

    boolean isRootOf(Vnode vnode) {
        return fs.root() == vnode;
    }
}
