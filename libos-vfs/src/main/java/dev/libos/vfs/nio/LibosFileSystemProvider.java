package dev.libos.vfs.nio;

import static dev.libos.vfs.OpenFlags.O_APPEND;
import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_EXCL;
import static dev.libos.vfs.OpenFlags.O_NOFOLLOW;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_RDWR;
import static dev.libos.vfs.OpenFlags.O_TRUNC;
import static dev.libos.vfs.OpenFlags.O_WRONLY;

import dev.libos.vfs.DirEntry;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileStat;
import dev.libos.vfs.FileType;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code libos} scheme: {@code Files.*} over a {@link Vfs}. Create a file system with
 * {@code FileSystems.newFileSystem(URI.create("libos://NAME"), Map.of("vfs", vfs))} (or
 * {@link #newFileSystem(String, Vfs)}), then use its paths with {@code Files}. Errors become the
 * matching java.nio.file exceptions (ENOENT: NoSuchFileException, EEXIST:
 * FileAlreadyExistsException, ENOTEMPTY: DirectoryNotEmptyException, ENOTDIR:
 * NotDirectoryException, EACCES/EPERM/EROFS: AccessDeniedException, ELOOP:
 * FileSystemLoopException, others: FileSystemException with the errno message).
 *
 * <p>Not covered: owners, permissions and times (attributes report the epoch), watch services,
 * file stores, and the default-provider mode; {@code java.io.File} and {@code FileInputStream}
 * never reach a provider (see README).
 */
public final class LibosFileSystemProvider extends FileSystemProvider {
    public static final String SCHEME = "libos";
    private final Map<String, LibosFileSystem> systems = new ConcurrentHashMap<>();

    @Override
    public String getScheme() {
        return SCHEME;
    }

    /** The installed provider of the libos scheme (found through ServiceLoader). */
    public static LibosFileSystemProvider instance() {
        for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
            if (p instanceof LibosFileSystemProvider libos) {
                return libos;
            }
        }
        throw new IllegalStateException("the libos file system provider is not installed");
    }

    /** A file system named {@code name} over {@code vfs}. */
    public LibosFileSystem newFileSystem(String name, Vfs vfs) {
        LibosFileSystem fs = new LibosFileSystem(this, name, vfs);
        if (systems.putIfAbsent(name, fs) != null) {
            throw new FileSystemAlreadyExistsException(name);
        }
        return fs;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        if (!(env.get("vfs") instanceof Vfs vfs)) {
            throw new IllegalArgumentException("env must map \"vfs\" to a dev.libos.vfs.Vfs: " + env);
        }
        return newFileSystem(uri.getAuthority(), vfs);
    }

    void forget(LibosFileSystem fs) {
        systems.remove(fs.name(), fs);
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        LibosFileSystem fs = systems.get(uri.getAuthority());
        if (fs == null) {
            throw new FileSystemNotFoundException(uri.toString());
        }
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        return getFileSystem(uri).getPath(uri.getPath().isEmpty() ? "/" : uri.getPath());
    }

    private static Vfs vfs(Path path) {
        return LibosPath.cast(path).getFileSystem().vfs();
    }

    private static String at(Path path) {
        return LibosPath.cast(path).vfsPath();
    }

    /** The java.nio.file exception for {@code e}. */
    static IOException translate(VfsException e, Path path) {
        String file = path == null ? e.path() : path.toString();
        IOException io = switch (e.errno()) {
            case ENOENT -> new NoSuchFileException(file, null, e.getMessage());
            case EEXIST -> new FileAlreadyExistsException(file, null, e.getMessage());
            case ENOTEMPTY -> new DirectoryNotEmptyException(file);
            case ENOTDIR -> new NotDirectoryException(file);
            case EACCES, EPERM, EROFS -> new AccessDeniedException(file, null, e.getMessage());
            case ELOOP -> new FileSystemLoopException(file);
            default -> new FileSystemException(file, null, e.getMessage());
        };
        io.initCause(e);
        return io;
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return new LibosByteChannel(vfs(path), openDescriptor(path, options), path);
    }

    /**
     * A {@link java.nio.channels.FileChannel} on {@code path}: what {@code FileChannel.open} needs,
     * and the way to fsync through java.nio ({@code force}). No {@code map}; locks are granted at
     * once (see {@link VfsFileChannel}).
     */
    @Override
    public java.nio.channels.FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return new VfsFileChannel(vfs(path), openDescriptor(path, options), path, options.contains(StandardOpenOption.APPEND));
    }

    /** Opens {@code path} on its VFS with the POSIX flags of {@code options}; returns the descriptor. */
    int openDescriptor(Path path, Set<? extends OpenOption> options) throws IOException {
        try {
            return vfs(path).open(at(path), openFlags(options));
        } catch (VfsException e) {
            throw translate(e, path);
        }
    }

    /** The {@link dev.libos.vfs.OpenFlags} meaning {@code options} (READ when neither WRITE nor APPEND). */
    static int openFlags(Set<? extends OpenOption> options) {
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        boolean read = options.contains(StandardOpenOption.READ) || !write;
        int flags = read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY;
        if (options.contains(StandardOpenOption.APPEND)) {
            flags |= O_APPEND;
        }
        if (write && options.contains(StandardOpenOption.CREATE_NEW)) {
            flags |= O_CREAT | O_EXCL;
        } else if (write && options.contains(StandardOpenOption.CREATE)) {
            flags |= O_CREAT;
        }
        if (write && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            flags |= O_TRUNC;
        }
        if (options.contains(LinkOption.NOFOLLOW_LINKS)) {
            flags |= O_NOFOLLOW;
        }
        return flags;
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        List<Path> children = new ArrayList<>();
        try {
            for (DirEntry e : vfs(dir).readdir(at(dir))) {
                Path child = dir.resolve(e.name());
                if (filter.accept(child)) {
                    children.add(child);
                }
            }
        } catch (VfsException e) {
            throw translate(e, dir);
        }
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return children.iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        try {
            vfs(dir).mkdir(at(dir));
        } catch (VfsException e) {
            throw translate(e, dir);
        }
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        try {
            vfs(link).symlink(target.toString(), at(link));
        } catch (VfsException e) {
            throw translate(e, link);
        }
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        try {
            vfs(link).link(at(existing), at(link));
        } catch (VfsException e) {
            throw translate(e, link);
        }
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        try {
            return link.getFileSystem().getPath(vfs(link).readlink(at(link)));
        } catch (VfsException e) {
            if (e.errno() == Errno.EINVAL) {
                throw new NotLinkException(link.toString());
            }
            throw translate(e, link);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Vfs vfs = vfs(path);
        try {
            if (vfs.lstat(at(path)).type() == FileType.DIRECTORY) {
                vfs.rmdir(at(path));
            } else {
                vfs.unlink(at(path));
            }
        } catch (VfsException e) {
            throw translate(e, path);
        }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        boolean replace = List.of(options).contains(StandardCopyOption.REPLACE_EXISTING);
        Vfs vfs = vfs(source);
        try {
            FileStat stat = vfs.stat(at(source));
            if (stat.type() == FileType.DIRECTORY) {
                vfs.mkdir(at(target));
                return;
            }
            if (replace && vfs.exists(at(target))) {
                delete(target);
            }
            int in = vfs.open(at(source), O_RDONLY);
            try {
                int out = vfs.open(at(target), O_WRONLY | O_CREAT | O_EXCL);
                try {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 * 1024);
                    while (vfs.read(in, buffer.clear()) > 0) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            vfs.write(out, buffer);
                        }
                    }
                } finally {
                    vfs.close(out);
                }
            } finally {
                vfs.close(in);
            }
        } catch (VfsException e) {
            throw translate(e, target);
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        Vfs vfs = vfs(source);
        boolean replace = List.of(options).contains(StandardCopyOption.REPLACE_EXISTING);
        try {
            if (!replace && vfs.exists(at(target))) {
                throw new FileAlreadyExistsException(target.toString());
            }
            vfs.rename(at(source), at(target));
        } catch (VfsException e) {
            throw translate(e, source);
        }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) {
            return true;
        }
        if (!(path2 instanceof LibosPath) || path.getFileSystem() != path2.getFileSystem()) {
            return false;
        }
        try {
            FileStat a = vfs(path).stat(at(path));
            FileStat b = vfs(path2).stat(at(path2));
            return a.device() == b.device() && a.ino() == b.ino();
        } catch (VfsException e) {
            throw translate(e, path);
        }
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("libos file systems have no file stores");
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        try {
            vfs(path).stat(at(path));
        } catch (VfsException e) {
            throw translate(e, path);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return LibosFileSystemProvider.this.readAttributes(path, BasicFileAttributes.class, options);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
                throw new UnsupportedOperationException("libos file systems keep no times");
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        if (type != BasicFileAttributes.class) {
            throw new UnsupportedOperationException("only BasicFileAttributes: " + type.getName());
        }
        boolean follow = !List.of(options).contains(LinkOption.NOFOLLOW_LINKS);
        try {
            FileStat stat = follow ? vfs(path).stat(at(path)) : vfs(path).lstat(at(path));
            return (A) new LibosFileAttributes(stat);
        } catch (VfsException e) {
            throw translate(e, path);
        }
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        BasicFileAttributes a = readAttributes(path, BasicFileAttributes.class, options);
        return Map.of("size", a.size(), "isDirectory", a.isDirectory(), "isRegularFile", a.isRegularFile(),
                "isSymbolicLink", a.isSymbolicLink(), "isOther", a.isOther(), "fileKey", a.fileKey(),
                "lastModifiedTime", a.lastModifiedTime(), "lastAccessTime", a.lastAccessTime(), "creationTime", a.creationTime());
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new UnsupportedOperationException("libos file systems keep no settable attributes: " + attribute);
    }
}
