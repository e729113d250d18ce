package dev.libos.vfs.spi;

import dev.libos.vfs.DirEntry;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One file of a {@link FileSystem}. A file system returns the same {@code Vnode} object for the
 * same file for as long as the file exists (the VFS keys open counts and mounts on identity).
 *
 * <p>The VFS checks arguments before calling: names are single components (no '/', not "." or
 * ".."), directory operations are called on directories only, data operations on regular files
 * or devices only, and mutating operations never on a read-only file system. Failures the VFS
 * cannot foresee (ENOSPC, EIO, ENOTEMPTY...) are thrown as {@link VfsException} without a path.
 * Default methods fail with ENOTSUP/EPERM, so read-only file systems implement the read side only.
 */
public interface Vnode {
    long ino();

    FileType type();

    /** Size in bytes (regular file, symlink), or entry count (directory). */
    long size();

    /** Hard links; 0 once unlinked (the vnode may still be open). */
    int links();

    // ---- directories ----

    /** The child called {@code name}, or null when there is none. */
    Vnode lookup(String name) throws VfsException;

    /** The entries, sorted by name. */
    List<DirEntry> readdir() throws VfsException;

    /** Creates {@code name} (absent, checked by the VFS) as an empty regular file or directory. */
    default Vnode create(String name, FileType type) throws VfsException {
        throw VfsException.of(Errno.EPERM, "create not supported");
    }

    /** Creates symlink {@code name} (absent) pointing at {@code target}. */
    default Vnode symlink(String name, String target) throws VfsException {
        throw VfsException.of(Errno.EPERM, "symlink not supported");
    }

    /** Adds {@code name} (absent) as a new hard link to the non-directory {@code target}. */
    default void link(String name, Vnode target) throws VfsException {
        throw VfsException.of(Errno.EPERM, "link not supported");
    }

    /**
     * Removes entry {@code name} (present; an empty directory when it is one) and returns the
     * vnode it named, its link count already decreased.
     */
    default Vnode unlink(String name) throws VfsException {
        throw VfsException.of(Errno.EPERM, "unlink not supported");
    }

    /** Moves entry {@code from} to {@code toDir}/{@code to} (absent: the VFS removed any target). */
    default void rename(String from, Vnode toDir, String to) throws VfsException {
        throw VfsException.of(Errno.EPERM, "rename not supported");
    }

    // ---- files ----

    /** Reads from {@code position} into {@code dst}; returns bytes read, -1 at end of file. */
    default int read(long position, ByteBuffer dst) throws VfsException {
        throw VfsException.of(Errno.EINVAL, "not readable");
    }

    /** Writes all of {@code src} at {@code position} (growing the file); returns bytes written. */
    default int write(long position, ByteBuffer src) throws VfsException {
        throw VfsException.of(Errno.EINVAL, "not writable");
    }

    /** Sets the size, zero-filling when it grows. */
    default void truncate(long size) throws VfsException {
        throw VfsException.of(Errno.EINVAL, "not truncatable");
    }

    /** The target of a symlink. */
    default String readlink() throws VfsException {
        throw VfsException.of(Errno.EINVAL, "not a symlink");
    }

    /** Makes this file's data and the metadata needed to reach it durable. */
    default void fsync() throws VfsException {
    }
}
