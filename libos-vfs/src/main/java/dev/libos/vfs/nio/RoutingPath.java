package dev.libos.vfs.nio;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * A path of the default file system in default-provider mode: a host path wrapped so that
 * {@code Files.*} on it reaches {@link VfsRoutingFileSystemProvider}, which sends it to the VFS
 * or to the host. Syntax (names, resolve, normalize, equality, toString, toUri) is the host
 * path's; only {@link #toRealPath} and {@link #register} look at where the path is routed.
 */
public final class RoutingPath implements Path {
    private final RoutingFileSystem fs;
    private final Path host;

    RoutingPath(RoutingFileSystem fs, Path host) {
        this.fs = fs;
        this.host = host;
    }

    /** The host path underneath. */
    public Path hostPath() {
        return host;
    }

    static RoutingPath cast(Path path) {
        if (!(path instanceof RoutingPath p)) {
            throw new ProviderMismatchException("not a path of the routing default file system: " + path
                    + (path == null ? "" : " (" + path.getClass().getName() + ")"));
        }
        return p;
    }

    private RoutingPath wrap(Path p) {
        return p == null ? null : new RoutingPath(fs, p);
    }

    /** The host path of {@code other}, which must be a routing path too. */
    private static Path unwrap(Path other) {
        return cast(other).host;
    }

    @Override
    public RoutingFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return host.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(host.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(host.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(host.getParent());
    }

    @Override
    public int getNameCount() {
        return host.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(host.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(host.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        return other instanceof RoutingPath p && host.startsWith(p.host);
    }

    @Override
    public boolean endsWith(Path other) {
        return other instanceof RoutingPath p && host.endsWith(p.host);
    }

    @Override
    public Path normalize() {
        return wrap(host.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(host.resolve(unwrap(other)));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(host.relativize(unwrap(other)));
    }

    @Override
    public URI toUri() {
        return host.toUri();
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(host.toAbsolutePath());
    }

    /**
     * Routed paths: the absolute normal path once the VFS confirms it exists (VFS symlinks in
     * it are not expanded). Host paths: the host's real path.
     */
    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        VfsRoutingFileSystemProvider provider = fs.provider();
        if (provider.isRouted(this)) {
            Path normal = toAbsolutePath().normalize();
            provider.checkAccess(normal);
            return normal;
        }
        return wrap(host.toRealPath(options));
    }

    /**
     * A {@link File} of the same name. java.io always goes to the host, never the VFS (the
     * host path's own toFile refuses: its file system is no longer the default).
     */
    @Override
    public File toFile() {
        return new File(host.toString());
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) throws IOException {
        if (fs.provider().isRouted(this)) {
            throw new UnsupportedOperationException("the libos VFS has no watch service: " + this);
        }
        return host.register(watcher, events, modifiers);
    }

    @Override
    public int compareTo(Path other) {
        return host.compareTo(unwrap(other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingPath p && p.host.equals(host);
    }

    @Override
    public int hashCode() {
        return host.hashCode();
    }

    @Override
    public String toString() {
        return host.toString();
    }
}
