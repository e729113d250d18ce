package dev.libos.maven.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;

/**
 * A raw disk read in fixed-size chunks, as every converter here does: its size, which chunks
 * hold a non-zero byte (only those are stored by the sparse formats), and a digest of its bytes
 * from which the formats derive their identifiers, so that equal disks give equal files.
 */
public final class RawDisk {
    /** Sector size every format here counts in. */
    public static final int SECTOR = 512;

    private final Path file;
    private final long size;

    private RawDisk(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    /**
     * Opens a raw disk.
     *
     * @throws IllegalArgumentException when the file is empty or not whole sectors
     */
    public static RawDisk open(Path file) throws IOException {
        long size = Files.size(file);
        if (size == 0 || size % SECTOR != 0) {
            throw new IllegalArgumentException("raw disk " + file + " is " + size + " bytes, not a positive multiple of "
                    + SECTOR);
        }
        return new RawDisk(file, size);
    }

    public Path file() {
        return file;
    }

    /** Bytes. */
    public long size() {
        return size;
    }

    /** The number of chunks of {@code chunkBytes} (the last one may be partial). */
    public long chunks(int chunkBytes) {
        return Math.ceilDiv(size, (long) chunkBytes);
    }

    /**
     * Reads chunk {@code index} into {@code chunk} (length = chunk size), zero-filled past the end.
     */
    public void read(FileChannel channel, long index, byte[] chunk) throws IOException {
        long offset = Math.multiplyExact(index, (long) chunk.length);
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, offset + buffer.position());
            if (n < 0) {
                break;
            }
        }
        java.util.Arrays.fill(chunk, buffer.position(), chunk.length, (byte) 0);
    }

    public FileChannel openChannel() throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** True when every byte of {@code data} is zero. */
    public static boolean isZero(byte[] data) {
        for (byte b : data) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The result of one pass over the disk.
     *
     * @param nonZero bit i set when chunk i holds a non-zero byte
     * @param sha256  digest of the whole disk
     */
    public record Scan(BitSet nonZero, byte[] sha256) {
    }

    /** Reads the disk once in chunks of {@code chunkBytes}. */
    public Scan scan(int chunkBytes) throws IOException {
        MessageDigest digest = sha256();
        BitSet nonZero = new BitSet();
        byte[] chunk = new byte[chunkBytes];
        try (FileChannel channel = openChannel()) {
            long chunks = chunks(chunkBytes);
            if (chunks > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("raw disk " + file + " is too large: " + size + " bytes");
            }
            for (long i = 0; i < chunks; i++) {
                read(channel, i, chunk);
                int valid = (int) Math.min(chunkBytes, size - i * chunkBytes);
                digest.update(chunk, 0, valid);
                if (!isZero(chunk)) {
                    nonZero.set((int) i);
                }
            }
        }
        return new Scan(nonZero, digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A UUID-shaped 16 bytes derived from {@code seed} and {@code purpose} (RFC 9562 version 8,
     * the custom layout: the bits are a hash, not a clock or a random source).
     */
    public static byte[] derivedUuid(byte[] seed, String purpose) {
        MessageDigest digest = sha256();
        digest.update(purpose.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        digest.update(seed);
        byte[] uuid = java.util.Arrays.copyOf(digest.digest(), 16);
        uuid[6] = (byte) ((uuid[6] & 0x0f) | 0x80); // version 8
        uuid[8] = (byte) ((uuid[8] & 0x3f) | 0x80); // variant 10
        return uuid;
    }
}
