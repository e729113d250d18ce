package dev.libos.maven.image;

import java.util.Objects;

/**
 * One entry of an initramfs: a path (relative, no leading slash), its type and permission bits,
 * and its content (file data or a symlink's target; empty for directories and devices).
 *
 * @param path      path inside the archive, e.g. {@code jvm/bin/java}
 * @param mode      type and permission bits ({@link CpioNewc#S_IFREG} | 0755, ...)
 * @param content   where the data comes from
 * @param rdevMajor device major number (devices only)
 * @param rdevMinor device minor number (devices only)
 */
public record CpioEntry(String path, int mode, Content content, int rdevMajor, int rdevMinor)
        implements Comparable<CpioEntry> {

    public CpioEntry {
        Objects.requireNonNull(content, "content");
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("cpio path must be relative and normalised: " + path);
        }
    }

    /** A directory with mode 0755. */
    public static CpioEntry directory(String path) {
        return new CpioEntry(path, CpioNewc.S_IFDIR | 0755, Content.EMPTY, 0, 0);
    }

    /** A regular file, executable (0755) or not (0644). */
    public static CpioEntry file(String path, Content content, boolean executable) {
        return new CpioEntry(path, CpioNewc.S_IFREG | (executable ? 0755 : 0644), content, 0, 0);
    }

    /** A symbolic link to {@code target}. */
    public static CpioEntry symlink(String path, String target) {
        return new CpioEntry(path, CpioNewc.S_IFLNK | 0777, Content.of(target.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 0);
    }

    /** A character device node with mode 0600. */
    public static CpioEntry characterDevice(String path, int major, int minor) {
        return new CpioEntry(path, CpioNewc.S_IFCHR | 0600, Content.EMPTY, major, minor);
    }

    /** Entries sort by path, so a directory comes before what it holds. */
    @Override
    public int compareTo(CpioEntry other) {
        return path.compareTo(other.path);
    }

    /** Data of an entry: in memory or read from a file when written. */
    public interface Content {
        /** No data. */
        Content EMPTY = of(new byte[0]);

        /** Data length in bytes. */
        long size();

        /** Writes the data to {@code out}. */
        void writeTo(java.io.OutputStream out) throws java.io.IOException;

        /** Content held in memory. */
        static Content of(byte[] bytes) {
            byte[] copy = bytes.clone();
            return new Content() {
                @Override
                public long size() {
                    return copy.length;
                }

                @Override
                public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                    out.write(copy);
                }
            };
        }

        /** Content of a host file (symlinks followed), read when the archive is written. */
        static Content ofFile(java.nio.file.Path file) throws java.io.IOException {
            long size = java.nio.file.Files.size(file);
            return new Content() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                    long copied = java.nio.file.Files.copy(file, out);
                    if (copied != size) {
                        throw new java.io.IOException(file + " changed while the image was written");
                    }
                }
            };
        }
    }
}
