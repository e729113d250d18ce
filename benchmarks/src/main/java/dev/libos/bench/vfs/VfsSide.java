package dev.libos.bench.vfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_EXCL;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_RDWR;
import static dev.libos.vfs.OpenFlags.O_TRUNC;
import static dev.libos.vfs.OpenFlags.O_WRONLY;

import dev.libos.hw.hosted.block.FileBlockDevice;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.cowfs.CowFs;
import dev.libos.vfs.ramfs.RamFs;
import dev.libos.vfs.spi.FileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The libos side: the jobs through the {@link Vfs} API, as an application on libos calls it
 * (descriptors, {@code open}/{@code write}/{@code fsync}/{@code pread}/{@code close}), with one
 * file system mounted at "/". Paths are "/" + name.
 */
final class VfsSide implements FileSide {
    /** cowfs device geometry: 4 KiB blocks, 64 MiB. */
    static final int COWFS_BLOCK_BYTES = 4096;
    static final long COWFS_BLOCKS = 16384;

    private final Vfs vfs;
    private final FileBlockDevice device;
    private final Path deviceFile;

    private VfsSide(FileSystem root, FileBlockDevice device, Path deviceFile) {
        this.vfs = new Vfs(root);
        this.device = device;
        this.deviceFile = deviceFile;
    }

    /** A VFS over a fresh ramfs. */
    static VfsSide ramfs() {
        return new VfsSide(new RamFs(), null, null);
    }

    /** A VFS over a fresh cowfs on a {@link FileBlockDevice} stored in a new file in {@code dir}, deleted on close. */
    static VfsSide cowfsOnFileIn(Path dir) throws IOException, VfsException {
        Path file = Files.createTempFile(dir, "libos-bench-cowfs-", ".img");
        FileBlockDevice device = FileBlockDevice.open(file, COWFS_BLOCK_BYTES, COWFS_BLOCKS);
        CowFs.mkfs(device);
        return new VfsSide(CowFs.mount(device), device, file);
    }

    @Override
    public void createStatUnlink(String name) throws VfsException {
        String path = "/" + name;
        vfs.close(vfs.open(path, O_WRONLY | O_CREAT | O_EXCL));
        FileSide.check("size of new " + path, 0, vfs.stat(path).size());
        vfs.unlink(path);
    }

    @Override
    public byte smallFileWriteFsyncRead(String name, ByteBuffer data, ByteBuffer readBack) throws VfsException {
        int fd = vfs.open("/" + name, O_RDWR | O_CREAT | O_TRUNC);
        try {
            FileSide.check("written", SMALL_FILE_BYTES, vfs.pwrite(fd, data.clear(), 0));
            vfs.fsync(fd);
            FileSide.check("read", SMALL_FILE_BYTES, vfs.pread(fd, readBack.clear(), 0));
            return readBack.get(0);
        } finally {
            vfs.close(fd);
        }
    }

    @Override
    public void sequentialWrite(String name, ByteBuffer chunk) throws VfsException {
        int fd = vfs.open("/" + name, O_WRONLY | O_CREAT | O_TRUNC);
        try {
            for (int done = 0; done < LARGE_FILE_BYTES; done += CHUNK_BYTES) {
                FileSide.check("written", CHUNK_BYTES, vfs.write(fd, chunk.clear()));
            }
        } finally {
            vfs.close(fd);
        }
    }

    @Override
    public long sequentialRead(String name, ByteBuffer chunk) throws VfsException {
        int fd = vfs.open("/" + name, O_RDONLY);
        try {
            long total = 0;
            int n;
            while ((n = vfs.read(fd, chunk.clear())) > 0) {
                total += n;
            }
            return total;
        } finally {
            vfs.close(fd);
        }
    }

    @Override
    public void prepareFile(String name, byte[] bytes) throws VfsException {
        int fd = vfs.open("/" + name, O_WRONLY | O_CREAT | O_TRUNC);
        try {
            FileSide.check("written", bytes.length, vfs.write(fd, ByteBuffer.wrap(bytes)));
            vfs.fsync(fd);
        } finally {
            vfs.close(fd);
        }
    }

    @Override
    public void close() throws IOException, VfsException {
        vfs.close();
        if (device != null) {
            device.close();
            Files.deleteIfExists(deviceFile);
        }
    }
}
