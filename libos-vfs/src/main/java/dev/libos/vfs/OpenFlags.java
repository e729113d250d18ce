package dev.libos.vfs;

/** {@code open(2)} flags, with their Linux values. Combine with {@code |}. */
public final class OpenFlags {
    private OpenFlags() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    /** Mask of the access mode bits. */
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_NOFOLLOW = 0x20000;

    private static final int KNOWN = O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY | O_NOFOLLOW;

    static boolean readable(int flags) {
        int mode = flags & O_ACCMODE;
        return mode == O_RDONLY || mode == O_RDWR;
    }

    static boolean writable(int flags) {
        int mode = flags & O_ACCMODE;
        return mode == O_WRONLY || mode == O_RDWR;
    }

    /** True when {@code flags} holds only known bits and a valid access mode. */
    static boolean valid(int flags) {
        return (flags & ~KNOWN) == 0 && (flags & O_ACCMODE) != O_ACCMODE;
    }
}
