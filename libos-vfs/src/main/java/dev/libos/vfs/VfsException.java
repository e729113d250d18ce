package dev.libos.vfs;

/**
 * A file operation failed with an {@link Errno}. The message names the errno, its text, the path
 * involved and, when useful, a detail: {@code "ENOENT (No such file or directory): /a/b"}.
 *
 * <p>File systems throw it without a path (they do not know it); the VFS attaches the path
 * before the exception leaves {@link Vfs} ({@link #withPath}).
 */
public final class VfsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String path;
    private final String detail;

    public VfsException(Errno errno, String path) {
        this(errno, path, null, null);
    }

    public VfsException(Errno errno, String path, String detail) {
        this(errno, path, detail, null);
    }

    public VfsException(Errno errno, String path, String detail, Throwable cause) {
        super(format(errno, path, detail), cause);
        this.errno = errno;
        this.path = path;
        this.detail = detail;
    }

    /** A failure inside a file system, before the VFS knows the path. */
    public static VfsException of(Errno errno, String detail) {
        return new VfsException(errno, null, detail);
    }

    private static String format(Errno errno, String path, String detail) {
        StringBuilder sb = new StringBuilder().append(errno.name()).append(" (").append(errno.description()).append(')');
        if (path != null) {
            sb.append(": ").append(path);
        }
        if (detail != null) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    public Errno errno() {
        return errno;
    }

    /** The path the operation was about, or null when not yet known. */
    public String path() {
        return path;
    }

    /** This failure naming {@code path}; this same exception when it names a path already. */
    public VfsException withPath(String path) {
        return this.path != null ? this : new VfsException(errno, path, detail, getCause() != null ? getCause() : this);
    }
}
