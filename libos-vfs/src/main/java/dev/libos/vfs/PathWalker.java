package dev.libos.vfs;

import dev.libos.vfs.spi.Vnode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Path resolution: "." and "..", symbolic links (at most {@link #MAX_SYMLINKS} per walk, then
 * ELOOP), and mount crossings both ways. Paths are absolute; a relative path is taken from "/"
 * (the one process's working directory).
 *
 * <p>The walk keeps the chain of directories it went through, so ".." pops that chain: from
 * the root of a mount it goes to the parent of the covered directory, and above "/" it stays
 * at "/". Each lookup takes the lock of the mount it looks in, one mount lock at a time.
 */
final class PathWalker {
    /** Symlinks followed in one resolution before ELOOP (Linux: 40). */
    static final int MAX_SYMLINKS = 40;
    /** Longest name component in bytes (Linux NAME_MAX). */
    static final int NAME_MAX = 255;

    /** Where a walk that stops before the last component ended. */
    record ParentAndName(List<Location> chain, String name, boolean trailingSlash) {
        Location parent() {
            return chain.getLast();
        }
    }

    private final Supplier<MountTable> mounts;

    PathWalker(Supplier<MountTable> mounts) {
        this.mounts = mounts;
    }

    /** The file {@code path} names; the last component followed if a symlink and {@code followLast}. */
    Location resolve(String path, boolean followLast) throws VfsException {
        Walk walk = new Walk(path);
        walk.run(followLast, false);
        return walk.chain.getLast();
    }

    /** The chain of directories down to the file {@code path} names (last element: the file). */
    List<Location> resolveChain(String path, boolean followLast) throws VfsException {
        Walk walk = new Walk(path);
        walk.run(followLast, false);
        return walk.chain;
    }

    /**
     * The directory holding the last component of {@code path}, and that component's name (not
     * looked up). The name is "" for "/", and may be "." or "..", which callers refuse.
     */
    ParentAndName resolveParent(String path) throws VfsException {
        Walk walk = new Walk(path);
        String name = walk.run(false, true);
        return new ParentAndName(walk.chain, name, walk.trailingSlash);
    }

    private final class Walk {
        final String path;
        final List<Location> chain = new ArrayList<>();
        final Deque<String> pending = new ArrayDeque<>();
        final boolean trailingSlash;
        int symlinks;

        Walk(String path) throws VfsException {
            if (path == null || path.isEmpty()) {
                throw new VfsException(Errno.ENOENT, String.valueOf(path), "empty path");
            }
            this.path = path;
            this.trailingSlash = path.length() > 1 && path.endsWith("/");
            split(path, pending, false);
            Mount root = mounts.get().root();
            chain.add(new Location(root, root.fs.root()));
        }

        private void split(String p, Deque<String> into, boolean front) throws VfsException {
            List<String> parts = new ArrayList<>();
            for (String part : p.split("/")) {
                if (!part.isEmpty()) {
                    if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
                        throw new VfsException(Errno.ENAMETOOLONG, path, "component of " + part.length() + " characters");
                    }
                    parts.add(part);
                }
            }
            if (front) {
                for (int i = parts.size() - 1; i >= 0; i--) {
                    into.addFirst(parts.get(i));
                }
            } else {
                into.addAll(parts);
            }
        }

        /** Walks; in parent mode returns the unresolved last name, else null. */
        String run(boolean followLast, boolean parentMode) throws VfsException {
            if (parentMode && pending.isEmpty()) {
                return "";
            }
            while (!pending.isEmpty()) {
                String name = pending.pollFirst();
                boolean last = pending.isEmpty();
                Location current = chain.getLast();
                if (current.vnode().type() != FileType.DIRECTORY) {
                    throw new VfsException(Errno.ENOTDIR, path);
                }
                if (last && parentMode) {
                    return name;
                }
                if (name.equals(".")) {
                    continue;
                }
                if (name.equals("..")) {
                    if (chain.size() > 1) {
                        chain.removeLast();
                    }
                    continue;
                }
                Location child = lookup(current, name);
                if (child == null) {
                    throw new VfsException(Errno.ENOENT, path);
                }
                if (child.vnode().type() == FileType.SYMLINK && (!last || followLast || trailingSlash)) {
                    if (++symlinks > MAX_SYMLINKS) {
                        throw new VfsException(Errno.ELOOP, path, "more than " + MAX_SYMLINKS + " symbolic links");
                    }
                    String target = readlink(child);
                    if (target.startsWith("/")) {
                        Location root = chain.getFirst();
                        chain.clear();
                        chain.add(root);
                    }
                    split(target, pending, true);
                    continue;
                }
                chain.add(child);
            }
            if (trailingSlash && chain.getLast().vnode().type() != FileType.DIRECTORY) {
                throw new VfsException(Errno.ENOTDIR, path);
            }
            return null;
        }

        private Location lookup(Location dir, String name) throws VfsException {
            Mount mount = dir.mount();
            Vnode child;
            mount.lock.lock();
            try {
                child = mount.dentries.lookup(dir.vnode(), name);
            } catch (VfsException e) {
                throw e.withPath(path);
            } finally {
                mount.lock.unlock();
            }
            if (child == null) {
                return null;
            }
            // Cross into whatever is mounted on the child (mounts may stack).
            MountTable table = mounts.get();
            for (Mount covering = table.mountedOn(mount, child); covering != null; covering = table.mountedOn(mount, child)) {
                mount = covering;
                child = covering.fs.root();
            }
            return new Location(mount, child);
        }

        private String readlink(Location link) throws VfsException {
            link.mount().lock.lock();
            try {
                return link.vnode().readlink();
            } catch (VfsException e) {
                throw e.withPath(path);
            } finally {
                link.mount().lock.unlock();
            }
        }
    }
}
