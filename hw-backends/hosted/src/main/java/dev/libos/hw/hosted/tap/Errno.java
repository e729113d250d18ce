package dev.libos.hw.hosted.tap;

/**
 * Linux x86-64/aarch64 errno values the TAP device meets, with their names for error messages
 * ({@code asm-generic/errno-base.h} and {@code errno.h}).
 */
public final class Errno {
    /** Operation not permitted (no CAP_NET_ADMIN). */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** I/O error (the tun driver's answer when its interface is gone or down). */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable: nothing to read on a non-blocking descriptor. */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy (an interface of that name is attached elsewhere). */
    public static final int EBUSY = 16;
    /** No such device (the tun module is not loaded). */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Inappropriate ioctl for device. */
    public static final int ENOTTY = 25;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** No buffer space available. */
    public static final int ENOBUFS = 105;

    private Errno() {
    }

    /** The symbolic name of {@code errno}, or {@code "errno N"} for one not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENOTTY -> "ENOTTY";
            case EMSGSIZE -> "EMSGSIZE";
            case ENOBUFS -> "ENOBUFS";
            default -> "errno " + errno;
        };
    }

    /** {@code "NAME (N)"}, for messages that name a failed call. */
    public static String describe(int errno) {
        return name(errno) + " (" + errno + ")";
    }
}
