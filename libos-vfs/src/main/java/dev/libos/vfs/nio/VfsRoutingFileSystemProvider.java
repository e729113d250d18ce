package dev.libos.vfs.nio;

import dev.libos.vfs.Vfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The default-provider mode: install with
 * {@code -Djava.nio.file.spi.DefaultFileSystemProvider=dev.libos.vfs.nio.VfsRoutingFileSystemProvider}
 * (the JDK constructs it with its built-in provider), then {@link #install(Vfs)} a VFS. From then
 * on {@code Path.of}, {@code Paths.get}, {@code File.toPath} and every {@code Files.*} call in
 * unmodified code reach this provider: a path the {@link RoutingRule} routes (by default those
 * under {@code /libos}) is served by the VFS under the same absolute path; every other path,
 * and every path before a VFS is installed, by the host provider.
 *
 * <p>Paths are {@link RoutingPath}s of one {@link RoutingFileSystem} wrapping the host's, so
 * the host provider only ever sees its own paths. Two-path operations between the VFS and the
 * host: copy streams the bytes; move copies then deletes (ATOMIC_MOVE fails); hard links fail
 * (EXDEV); isSameFile is false. Routed operations have the libos scheme's semantics (see
 * {@link LibosFileSystemProvider}): basic attributes only, no file stores, no watch service,
 * no asynchronous channels; {@code FileChannel.open} gives a {@link VfsFileChannel}.
 *
 * <p>Threading: the installed VFS and rule sit in one volatile field, replaced whole.
 */
public final class VfsRoutingFileSystemProvider extends FileSystemProvider {
    /** What is routed, and to which VFS for the calling thread (null: the host); null until {@link #install}. */
    private record Routing(RoutingRule rule, java.util.function.Supplier<LibosFileSystem> fs) {
    }

    private final FileSystemProvider host;
    private final RoutingFileSystem fileSystem;
    private final LibosFileSystemProvider libos = new LibosFileSystemProvider();
    /** Replaced whole by install/uninstall; volatile so a reader sees a complete pair. */
    private volatile Routing routing;

    /**
     * The JDK's constructor: {@code builtin} is the built-in default provider.
     *
     * @throws IllegalArgumentException when {@code builtin} is not a "file" provider
     */
    public VfsRoutingFileSystemProvider(FileSystemProvider builtin) {
        if (!"file".equals(builtin.getScheme())) {
            throw new IllegalArgumentException("the host provider must have scheme file: " + builtin.getScheme());
        }
        this.host = builtin;
        this.fileSystem = new RoutingFileSystem(this, builtin.getFileSystem(URI.create("file:///")));
    }

    /**
     * The provider of the default file system.
     *
     * @throws IllegalStateException when the JVM was started without the property naming this class
     */
    public static VfsRoutingFileSystemProvider installed() {
        if (FileSystems.getDefault().provider() instanceof VfsRoutingFileSystemProvider p) {
            return p;
        }
        throw new IllegalStateException("the default file system provider is not " + VfsRoutingFileSystemProvider.class.getName()
                + ": start the JVM with -Djava.nio.file.spi.DefaultFileSystemProvider=" + VfsRoutingFileSystemProvider.class.getName());
    }

    /** Routes the prefixes of system property {@value RoutingRule#PROPERTY} (default /libos) to {@code vfs}. */
    public void install(Vfs vfs) {
        install(vfs, RoutingRule.fromSystemProperty());
    }

    /** Routes the paths {@code rule} accepts to {@code vfs}, replacing any earlier VFS. */
    public void install(Vfs vfs, RoutingRule rule) {
        LibosFileSystem fs = new LibosFileSystem(libos, "default", vfs);
        routing = new Routing(rule, () -> fs);
    }

    /**
     * Routes the paths {@code rule} accepts to the VFS {@code vfsOfCaller} answers on the calling
     * thread at each call (null: the host's file system), replacing any earlier VFS. libos-sim
     * gives each simulated host's threads that host's VFS this way.
     */
    public void installPerCaller(java.util.function.Supplier<Vfs> vfsOfCaller, RoutingRule rule) {
        java.util.Map<Vfs, LibosFileSystem> systems = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
        routing = new Routing(rule, () -> {
            Vfs vfs = vfsOfCaller.get();
            return vfs == null ? null : systems.computeIfAbsent(vfs, v -> new LibosFileSystem(libos, "default", v));
        });
    }

    /** Sends every path to the host again; the VFS stays as it is (its owner closes it). */
    public void uninstall() {
        routing = null;
    }

    /** The default file system: the host's, with routing paths. */
    public RoutingFileSystem fileSystem() {
        return fileSystem;
    }

    // ---------------------------------------------------------------- routing

    private static Path host(Path path) {
        return RoutingPath.cast(path).hostPath();
    }

    /** The VFS path of {@code path} when the rule routes it, else null. */
    private LibosPath routed(Path path) {
        Routing r = routing;
        if (r == null) {
            return null;
        }
        String absolute = host(path).toAbsolutePath().normalize().toString();
        if (!r.rule().routes(absolute)) {
            return null;
        }
        LibosFileSystem fs = r.fs().get();
        return fs == null ? null : (LibosPath) fs.getPath(absolute);
    }

    /** True when {@code path} goes to the VFS now. */
    boolean isRouted(Path path) {
        return routed(path) != null;
    }

    private RoutingPath wrap(Path hostPath) {
        return fileSystem.wrap(hostPath);
    }

    // ---------------------------------------------------------------- the file system

    @Override
    public String getScheme() {
        return "file";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("the default file system exists already: " + uri);
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        host.getFileSystem(uri); // the host checks the URI
        return fileSystem;
    }

    @Override
    public Path getPath(URI uri) {
        return wrap(host.getPath(uri));
    }

    // ---------------------------------------------------------------- one path

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        LibosPath v = routed(path);
        return v != null ? libos.newByteChannel(v, options, attrs) : host.newByteChannel(host(path), options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        LibosPath v = routed(path);
        if (v != null) {
            return new VfsFileChannel(v.getFileSystem().vfs(), libos.openDescriptor(v, options), v,
                    options.contains(StandardOpenOption.APPEND));
        }
        return host.newFileChannel(host(path), options, attrs);
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
            ExecutorService executor, FileAttribute<?>... attrs) throws IOException {
        if (routed(path) != null) {
            throw new UnsupportedOperationException("no asynchronous channels on the libos VFS: " + path);
        }
        return host.newAsynchronousFileChannel(host(path), options, executor, attrs);
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        return routed(path) != null ? super.newInputStream(path, options) : host.newInputStream(host(path), options);
    }

    @Override
    public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        return routed(path) != null ? super.newOutputStream(path, options) : host.newOutputStream(host(path), options);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        LibosPath v = routed(dir);
        if (v != null) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = libos.newDirectoryStream(v, p -> true)) {
                for (Path entry : entries) {
                    Path child = dir.resolve(entry.getFileName().toString());
                    if (filter.accept(child)) {
                        children.add(child);
                    }
                }
            }
            return listing(children.iterator(), () -> { });
        }
        DirectoryStream<Path> entries = host.newDirectoryStream(host(dir), p -> filter.accept(wrap(p)));
        Iterator<Path> hostIterator = entries.iterator();
        return listing(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return hostIterator.hasNext();
            }

            @Override
            public Path next() {
                return wrap(hostIterator.next());
            }
        }, entries::close);
    }

    private static DirectoryStream<Path> listing(Iterator<Path> iterator, Closer closer) {
        return new DirectoryStream<>() {
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (iterated) {
                    throw new IllegalStateException("a directory stream iterates once");
                }
                iterated = true;
                return iterator;
            }

            @Override
            public void close() throws IOException {
                closer.close();
            }
        };
    }

    @FunctionalInterface
    private interface Closer {
        void close() throws IOException;
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        LibosPath v = routed(dir);
        if (v != null) {
            libos.createDirectory(v, attrs);
        } else {
            host.createDirectory(host(dir), attrs);
        }
    }

    /** The link is routed by its own path; the target is stored as text, as the host does. */
    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        LibosPath v = routed(link);
        if (v != null) {
            libos.createSymbolicLink(v, target, attrs);
        } else {
            host.createSymbolicLink(host(link), host(target), attrs);
        }
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        LibosPath v = routed(link);
        LibosPath e = routed(existing);
        if (v != null && e != null) {
            libos.createLink(v, e);
        } else if (v == null && e == null) {
            host.createLink(host(link), host(existing));
        } else {
            throw new FileSystemException(link.toString(), existing.toString(), "EXDEV: hard link between the libos VFS and the host");
        }
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        LibosPath v = routed(link);
        if (v != null) {
            return wrap(fileSystem.hostFileSystem().getPath(libos.readSymbolicLink(v).toString()));
        }
        return wrap(host.readSymbolicLink(host(link)));
    }

    @Override
    public void delete(Path path) throws IOException {
        LibosPath v = routed(path);
        if (v != null) {
            libos.delete(v);
        } else {
            host.delete(host(path));
        }
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return routed(path) != null ? super.deleteIfExists(path) : host.deleteIfExists(host(path));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        LibosPath v = routed(path);
        return v != null ? libos.isHidden(v) : host.isHidden(host(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        LibosPath v = routed(path);
        return v != null ? libos.getFileStore(v) : host.getFileStore(host(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        LibosPath v = routed(path);
        if (v != null) {
            libos.checkAccess(v, modes);
        } else {
            host.checkAccess(host(path), modes);
        }
    }

    @Override
    public boolean exists(Path path, LinkOption... options) {
        return routed(path) != null ? super.exists(path, options) : host.exists(host(path), options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributesIfExists(Path path, Class<A> type, LinkOption... options) throws IOException {
        return routed(path) != null
                ? super.readAttributesIfExists(path, type, options)
                : host.readAttributesIfExists(host(path), type, options);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        LibosPath v = routed(path);
        return v != null ? libos.getFileAttributeView(v, type, options) : host.getFileAttributeView(host(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        LibosPath v = routed(path);
        return v != null ? libos.readAttributes(v, type, options) : host.readAttributes(host(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        LibosPath v = routed(path);
        return v != null ? libos.readAttributes(v, attributes, options) : host.readAttributes(host(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        LibosPath v = routed(path);
        if (v != null) {
            libos.setAttribute(v, attribute, value, options);
        } else {
            host.setAttribute(host(path), attribute, value, options);
        }
    }

    // ---------------------------------------------------------------- two paths

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        LibosPath a = routed(path);
        LibosPath b = path2 instanceof RoutingPath ? routed(path2) : null;
        if (a != null && b != null) {
            return libos.isSameFile(a, b);
        }
        if (a == null && b == null && path2 instanceof RoutingPath) {
            return host.isSameFile(host(path), host(path2));
        }
        return false;
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        LibosPath s = routed(source);
        LibosPath t = routed(target);
        if (s != null && t != null) {
            libos.copy(s, t, options);
        } else if (s == null && t == null) {
            host.copy(host(source), host(target), options);
        } else {
            copyAcross(source, target, options);
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        LibosPath s = routed(source);
        LibosPath t = routed(target);
        if (s != null && t != null) {
            libos.move(s, t, options);
        } else if (s == null && t == null) {
            host.move(host(source), host(target), options);
        } else {
            if (List.of(options).contains(StandardCopyOption.ATOMIC_MOVE)) {
                throw new AtomicMoveNotSupportedException(source.toString(), target.toString(), "between the libos VFS and the host");
            }
            if (readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                try (DirectoryStream<Path> entries = newDirectoryStream(source, p -> true)) {
                    if (entries.iterator().hasNext()) {
                        throw new DirectoryNotEmptyException(source.toString());
                    }
                }
            }
            copyAcross(source, target, options);
            delete(source);
        }
    }

    /** Copy between the VFS and the host: a directory is created empty, a file's bytes are streamed. */
    private void copyAcross(Path source, Path target, CopyOption... options) throws IOException {
        boolean replace = List.of(options).contains(StandardCopyOption.REPLACE_EXISTING);
        BasicFileAttributes attributes = readAttributes(source, BasicFileAttributes.class);
        if (replace) {
            deleteIfExists(target);
        } else if (exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        if (attributes.isDirectory()) {
            createDirectory(target);
            return;
        }
        try (InputStream in = newInputStream(source);
             OutputStream out = newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        }
    }
}
