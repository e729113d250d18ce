package dev.libos.vfs.nio;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The default file system in default-provider mode: the host's default file system with every
 * path wrapped in a {@link RoutingPath}, so that its provider is {@link VfsRoutingFileSystemProvider}.
 * Everything else (separator, roots, stores, matchers, principals, watch service) is the host's.
 */
public final class RoutingFileSystem extends FileSystem {
    private final VfsRoutingFileSystemProvider provider;
    private final FileSystem host;

    RoutingFileSystem(VfsRoutingFileSystemProvider provider, FileSystem host) {
        this.provider = provider;
        this.host = host;
    }

    /** The host file system underneath. */
    public FileSystem hostFileSystem() {
        return host;
    }

    /** {@code hostPath} as a path of this file system. */
    RoutingPath wrap(Path hostPath) {
        return hostPath == null ? null : new RoutingPath(this, hostPath);
    }

    @Override
    public VfsRoutingFileSystemProvider provider() {
        return provider;
    }

    /** The default file system cannot be closed. */
    @Override
    public void close() throws IOException {
        throw new UnsupportedOperationException("the default file system cannot be closed");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return host.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return host.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        host.getRootDirectories().forEach(root -> roots.add(wrap(root)));
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return host.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return host.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(host.getPath(first, more));
    }

    /** The host's matcher, applied to the host path (the syntax is the host's). */
    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = host.getPathMatcher(syntaxAndPattern);
        return path -> path instanceof RoutingPath p && matcher.matches(p.hostPath());
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return host.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        return host.newWatchService();
    }
}
