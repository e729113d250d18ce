package dev.libos.maven.image;

import dev.libos.vfs.imagefs.ImageWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image's files volume: a directory tree written as a libos read-only image (imagefs, see
 * libos-vfs's README) by {@link ImageWriter}, in a raw file. The guest mounts it read-only at
 * {@code /files} (libos-guest's {@code GuestVolumes}).
 *
 * <p><b>Raw, not qcow2.</b> The volume is dense (files packed in consecutive blocks, then the
 * inode table), so a qcow2 container would save nothing; QEMU attaches a raw file with no format
 * layer; and the bytes on the host are exactly what the guest reads, so two builds can be
 * compared with {@code cmp}. The writable state volume (the run goal's) is raw too: a sparse
 * file costs the host only the blocks written.
 *
 * <p>Deterministic: the image depends only on names, contents and symlink targets (sorted,
 * no times, owners or permission bits), so equal trees give byte-identical volumes.
 */
public final class FilesVolume {
    /** File name of the volume in the image directory. */
    public static final String FILE = "files.img";
    /**
     * Block size of the image: the guest's file system block (libos-guest's
     * {@code GuestVolumes.BLOCK_BYTES}); ImageFs mounts only at its own block size.
     */
    public static final int BLOCK_BYTES = 4096;

    private FilesVolume() {
    }

    /**
     * Writes the tree under {@code directory} as an image to {@code file}.
     *
     * @return the volume's size in bytes
     * @throws IllegalArgumentException when the tree does not fit an image (over 2 GiB)
     */
    public static long write(Path directory, Path file) throws IOException {
        byte[] image = ImageWriter.fromDirectory(directory).toBytes(BLOCK_BYTES);
        Files.write(file, image);
        return image.length;
    }
}
