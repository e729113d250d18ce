package dev.libos.vfs;

import java.util.ArrayList;
import java.util.List;

/**
 * File descriptor numbers to open files, lowest free number first (POSIX). Synchronised on
 * itself: the table lock is held only to look up, add or remove an entry.
 */
final class FdTable {
    private final int maxFiles;
    private final List<OpenFile> files = new ArrayList<>();

    FdTable(int maxFiles) {
        this.maxFiles = maxFiles;
    }

    synchronized int add(OpenFile file) throws VfsException {
        for (int fd = 0; fd < files.size(); fd++) {
            if (files.get(fd) == null) {
                files.set(fd, file);
                return fd;
            }
        }
        if (files.size() >= maxFiles) {
            throw new VfsException(Errno.EMFILE, file.path, maxFiles + " descriptors open");
        }
        files.add(file);
        return files.size() - 1;
    }

    synchronized OpenFile get(int fd) throws VfsException {
        OpenFile file = fd >= 0 && fd < files.size() ? files.get(fd) : null;
        if (file == null) {
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
            if (files.get(fd) != null) {
                fds.add(fd);
            }
        }
        return fds;
    }
}
