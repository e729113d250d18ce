package dev.libos.vfs.nio;

import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path of a {@link LibosFileSystem}: "/"-separated names, absolute or relative (relative to
 * "/"). Purely syntactic: nothing here touches the VFS, except {@link #toRealPath}.
 */
public final class LibosPath implements Path {
    private final LibosFileSystem fs;
    private final boolean absolute;
    private final List<String> names;

    LibosPath(LibosFileSystem fs, String path) {
        this.fs = fs;
        this.absolute = path.startsWith("/");
        this.names = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private LibosPath(LibosFileSystem fs, boolean absolute, List<String> names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = List.copyOf(names);
    }

    static LibosPath cast(Path path) {
        if (!(path instanceof LibosPath p)) {
            throw new ProviderMismatchException("not a libos path: " + path);
        }
        return p;
    }

    /** The absolute VFS path string. */
    String vfsPath() {
        return "/" + String.join("/", names);
    }

    @Override
    public LibosFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new LibosPath(fs, true, List.of()) : null;
    }

    @Override
    public Path getFileName() {
        return names.isEmpty() ? null : new LibosPath(fs, false, List.of(names.getLast()));
    }

    @Override
    public Path getParent() {
        if (names.isEmpty() || (names.size() == 1 && !absolute)) {
            return null;
        }
        return new LibosPath(fs, absolute, names.subList(0, names.size() - 1));
    }

    @Override
    public int getNameCount() {
        return names.size();
    }

    @Override
    public Path getName(int index) {
        return new LibosPath(fs, false, List.of(names.get(index)));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return new LibosPath(fs, false, names.subList(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        LibosPath o = cast(other);
        return o.absolute == absolute && o.names.size() <= names.size() && names.subList(0, o.names.size()).equals(o.names);
    }

    @Override
    public boolean endsWith(Path other) {
        LibosPath o = cast(other);
        if (o.absolute) {
            return equals(o);
        }
        return o.names.size() <= names.size() && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..") && !out.isEmpty() && !out.getLast().equals("..")) {
                out.removeLast();
            } else if (!(name.equals("..") && absolute)) {
                out.add(name);
            }
        }
        return new LibosPath(fs, absolute, out);
    }

    @Override
    public Path resolve(Path other) {
        LibosPath o = cast(other);
        if (o.absolute) {
            return o;
        }
        List<String> joined = new ArrayList<>(names);
        joined.addAll(o.names);
        return new LibosPath(fs, absolute, joined);
    }

    @Override
    public Path relativize(Path other) {
        LibosPath o = cast(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("cannot relativize " + other + " against " + this);
        }
        int common = 0;
        while (common < names.size() && common < o.names.size() && names.get(common).equals(o.names.get(common))) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.size(); i++) {
            out.add("..");
        }
        out.addAll(o.names.subList(common, o.names.size()));
        return new LibosPath(fs, false, out);
    }

    @Override
    public URI toUri() {
        return URI.create(LibosFileSystemProvider.SCHEME + "://" + fs.name() + toAbsolutePath());
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : new LibosPath(fs, true, names);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws java.io.IOException {
        Path normal = toAbsolutePath().normalize();
        fs.provider().checkAccess(normal);
        return normal;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("libos file systems have no watch service");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(cast(other).toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LibosPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + (absolute ? 1 : 0);
    }

    @Override
    public String toString() {
        String joined = String.join("/", names);
        return absolute ? "/" + joined : joined;
    }
}
