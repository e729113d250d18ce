package dev.libos.vfs.nio;

import dev.libos.vfs.Vfs;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/** A {@link Vfs} seen through java.nio.file: {@code libos://NAME/path}. */
public final class LibosFileSystem extends FileSystem {
    private final LibosFileSystemProvider provider;
    private final String name;
    private final Vfs vfs;
    private volatile boolean open = true;

    LibosFileSystem(LibosFileSystemProvider provider, String name, Vfs vfs) {
        this.provider = provider;
        this.name = name;
        this.vfs = vfs;
    }

    /** The name in this file system's URIs. */
    public String name() {
        return name;
    }

    /** The VFS underneath. */
    public Vfs vfs() {
        return vfs;
    }

    @Override
    public LibosFileSystemProvider provider() {
        return provider;
    }

    /** Forgets this file system in the provider; the VFS stays as it is (its owner closes it). */
    @Override
    public void close() {
        open = false;
        provider.forget(this);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(getPath("/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            sb.append('/').append(m);
        }
        return new LibosPath(this, sb.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon < 0 || !syntaxAndPattern.substring(0, colon).equals("regex")) {
            throw new UnsupportedOperationException("only regex: path matchers: " + syntaxAndPattern);
        }
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(syntaxAndPattern.substring(colon + 1));
        return path -> pattern.matcher(path.toString()).matches();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("libos file systems have no owners");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("libos file systems have no watch service");
    }
}
