package dev.libos.maven.image;

/**
 * The layout of a cpio archive in the "new ASCII" format ({@code newc}), the one the Linux kernel
 * unpacks as an initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
 *
 * <pre>
 *  offset  size  field           (every number: 8 ASCII hex digits, upper or lower case)
 *       0     6  magic "070701"
 *       6     8  c_ino
 *      14     8  c_mode          file type and permission bits (S_IFREG, S_IFDIR, ...)
 *      22     8  c_uid
 *      30     8  c_gid
 *      38     8  c_nlink
 *      46     8  c_mtime
 *      54     8  c_filesize      bytes of data after the name (a symlink's data is its target)
 *      62     8  c_devmajor
 *      70     8  c_devminor
 *      78     8  c_rdevmajor     a device node's major number
 *      86     8  c_rdevminor
 *      94     8  c_namesize      name length including the terminating NUL
 *     102     8  c_check         0 for newc
 *     110        name, NUL, padded with NULs to a multiple of 4 (header included)
 *                data, padded with NULs to a multiple of 4
 * </pre>
 *
 * An archive ends with an entry named {@value #TRAILER}. The kernel accepts several archives
 * one after the other, each compressed on its own, with NUL padding between them.
 */
public final class CpioNewc {
    /** Magic at the start of every header. */
    public static final String MAGIC = "070701";
    /** Header length in bytes. */
    public static final int HEADER_BYTES = 110;
    /** Name and data alignment. */
    public static final int ALIGNMENT = 4;
    /** Name of the last entry. */
    public static final String TRAILER = "TRAILER!!!";

    /** Regular file type bits. */
    public static final int S_IFREG = 0100000;
    /** Directory type bits. */
    public static final int S_IFDIR = 0040000;
    /** Symbolic link type bits. */
    public static final int S_IFLNK = 0120000;
    /** Character device type bits. */
    public static final int S_IFCHR = 0020000;

    private CpioNewc() {
    }

    /** Bytes of NUL padding that bring {@code length} to the alignment. */
    public static int padding(long length) {
        return (int) ((ALIGNMENT - (length % ALIGNMENT)) % ALIGNMENT);
    }
}
