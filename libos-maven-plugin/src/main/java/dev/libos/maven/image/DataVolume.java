package dev.libos.maven.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The application's data volume, empty for now (the read-only image of the VFS work will fill
 * it): {@code raw}, a sparse file of the volume's size, or {@code qcow2}, an empty QCOW2 image
 * ({@link Qcow2Layout}) of that virtual size.
 */
public final class DataVolume {
    private DataVolume() {
    }

    /** File name of the volume in a format. */
    public static String fileName(String format) {
        return switch (format) {
            case "raw" -> "data.img";
            case "qcow2" -> "data.qcow2";
            default -> throw new IllegalArgumentException("unknown data volume format: " + format);
        };
    }

    /** Writes an empty volume of {@code sizeBytes} in {@code format} to {@code file}. */
    public static void write(String format, long sizeBytes, Path file) throws IOException {
        if (sizeBytes <= 0 || sizeBytes % 512 != 0) {
            throw new IllegalArgumentException("volume size must be a positive multiple of 512: " + sizeBytes);
        }
        Files.deleteIfExists(file);
        switch (format) {
            case "raw" -> {
                try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
                    raw.setLength(sizeBytes);
                }
            }
            case "qcow2" -> Files.write(file, emptyQcow2(sizeBytes));
            default -> throw new IllegalArgumentException("unknown data volume format: " + format);
        }
    }

    /** The bytes of an empty QCOW2 image of {@code sizeBytes}. */
    static byte[] emptyQcow2(long sizeBytes) {
        long l1Entries = Qcow2Layout.l1Entries(sizeBytes);
        if (l1Entries * 8 > Qcow2Layout.CLUSTER_BYTES) {
            throw new IllegalArgumentException("qcow2 volume too large for one L1 cluster: " + sizeBytes);
        }
        int cluster = Qcow2Layout.CLUSTER_BYTES;
        ByteBuffer image = ByteBuffer.allocate(Qcow2Layout.EMPTY_IMAGE_CLUSTERS * cluster); // big-endian
        image.putInt(0, Qcow2Layout.MAGIC);
        image.putInt(4, Qcow2Layout.VERSION);
        image.putInt(20, Qcow2Layout.CLUSTER_BITS);
        image.putLong(24, sizeBytes);
        image.putInt(36, (int) l1Entries);
        image.putLong(40, (long) Qcow2Layout.L1_TABLE_CLUSTER * cluster);
        image.putLong(48, (long) Qcow2Layout.REFCOUNT_TABLE_CLUSTER * cluster);
        image.putInt(56, 1);
        // Refcount table entry 0 points at the refcount block, which counts the 4 used clusters.
        image.putLong(Qcow2Layout.REFCOUNT_TABLE_CLUSTER * cluster, (long) Qcow2Layout.REFCOUNT_BLOCK_CLUSTER * cluster);
        for (int c = 0; c < Qcow2Layout.EMPTY_IMAGE_CLUSTERS; c++) {
            image.putShort(Qcow2Layout.REFCOUNT_BLOCK_CLUSTER * cluster + c * Qcow2Layout.REFCOUNT_BYTES, (short) 1);
        }
        return image.array();
    }
}
