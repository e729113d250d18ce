package dev.libos.vfs;

/** What a vnode is. */
public enum FileType {
    REGULAR,
    DIRECTORY,
    SYMLINK,
    /** A character device (devfs): reads and writes go to a driver, the offset is ignored. */
    CHAR_DEVICE
}
