package dev.libos.vfs;

import dev.libos.vfs.spi.Vnode;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open file description: the vnode, the flags and the offset. {@link #lock} guards the
 * offset (POSIX: a read or write and its offset update are atomic per description); it is taken
 * before the mount lock, never after.
 */
final class OpenFile {
    final Mount mount;
    final Vnode vnode;
    final int flags;
    final String path;
    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    long offset;

    OpenFile(Mount mount, Vnode vnode, int flags, String path) {
        this.mount = mount;
        this.vnode = vnode;
        this.flags = flags;
        this.path = path;
    }
}
