package dev.libos.vfs;

import java.util.ArrayList;
import java.util.List;

/**
 * File descriptor numbers to open files, lowest free number first (POSIX). Synchronised on
 * itself: the table lock is held only to look up, reserve, install or remove an entry.
 *
 * <p>{@link Vfs#open} reserves a number before it touches the file system ({@link #reserve}),
 * then {@link #install}s the open file or {@link #release}s the number on failure; so EMFILE is
 * decided first, as on Linux, and never leaves a created file or an open count behind. A
 * reserved number is not visible: {@link #get} says EBADF and {@link #openFds} skips it.
 */
final class FdTable {
    /** Placeholder of a reserved descriptor number. */
    private static final OpenFile RESERVED = new OpenFile(null, null, 0, "(reserved)");

    private final int maxFiles;
    private final List<OpenFile> files = new ArrayList<>();

    FdTable(int maxFiles) {
        this.maxFiles = maxFiles;
    }

    /** Takes the lowest free number for an open of {@code path} in progress. */
    synchronized int reserve(String path) throws VfsException {
        for (int fd = 0; fd < files.size(); fd++) {
            if (files.get(fd) == null) {
                files.set(fd, RESERVED);
                return fd;
            }
        }
        if (files.size() >= maxFiles) {
            throw new VfsException(Errno.EMFILE, path, maxFiles + " descriptors open");
        }
        files.add(RESERVED);
        return files.size() - 1;
    }

    /** Puts {@code file} in reserved slot {@code fd}. */
    synchronized void install(int fd, OpenFile file) {
        if (files.get(fd) != RESERVED) {
            throw new IllegalStateException("fd " + fd + " was not reserved");
        }
        files.set(fd, file);
    }

    /** Frees reserved slot {@code fd} (the open failed). */
    synchronized void release(int fd) {
        if (files.get(fd) != RESERVED) {
            throw new IllegalStateException("fd " + fd + " was not reserved");
        }
        files.set(fd, null);
    }

    synchronized OpenFile get(int fd) throws VfsException {
        OpenFile file = fd >= 0 && fd < files.size() ? files.get(fd) : null;
        if (file == null || file == RESERVED) {
            throw new VfsException(Errno.EBADF, "fd " + fd);
        }
        return file;
    }

    synchronized OpenFile remove(int fd) throws VfsException {
        OpenFile file = get(fd);
        files.set(fd, null);
        return file;
    }

    synchronized List<Integer> openFds() {
        List<Integer> fds = new ArrayList<>();
        for (int fd = 0; fd < files.size(); fd++) {
            OpenFile file = files.get(fd);
            if (file != null && file != RESERVED) {
                fds.add(fd);
            }
        }
        return fds;
    }
}
