package dev.libos.vfs.spi;

import dev.libos.vfs.VfsException;

/**
 * A file system instance, mounted into a {@link dev.libos.vfs.Vfs}.
 *
 * <p><b>Threading contract.</b> The VFS serialises every call into one file system instance
 * (vnode calls included) with that mount's lock, so an implementation is single-threaded code
 * and needs no locking of its own. It may be called from any thread, libos threads included.
 */
public interface FileSystem {
    /** A short name: "ramfs", "devfs", "cowfs"... */
    String type();

    /** The root directory. */
    Vnode root();

    /** True when every namespace or data change fails with EROFS. */
    boolean isReadOnly();

    /** Makes every completed change durable (a no-op for memory file systems). */
    void sync() throws VfsException;

    /**
     * Frees what an unlinked file holds: called once its last link is gone and no descriptor
     * has it open. Until then an unlinked file stays readable and writable through open
     * descriptors (POSIX).
     */
    default void reclaim(Vnode vnode) throws VfsException {
    }

    /** Syncs and releases the file system; no call follows. */
    void unmount() throws VfsException;
}
