package dev.libos.vfs;

/** Origin of an {@code lseek} offset. */
public enum Whence {
    SET, CUR, END
}
