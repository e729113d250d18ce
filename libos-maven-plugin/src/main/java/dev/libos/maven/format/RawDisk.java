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
 * hold a non-zero byte (only those are stored by the sparse formats), and a digest of its contents
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

    /**
     * Writes the disk's chunks marked in {@code nonZero} to {@code out} (replaced) at their own
     * offsets and sets its length to {@code length}; the zero chunks are holes.
     */
    public void copySparse(BitSet nonZero, int chunkBytes, Path out, long length) throws IOException {
        byte[] chunk = new byte[chunkBytes];
        try (FileChannel in = openChannel();
             FileChannel target = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int index = nonZero.nextSetBit(0); index >= 0; index = nonZero.nextSetBit(index + 1)) {
                read(in, index, chunk);
                long offset = (long) index * chunkBytes;
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunkBytes, size - offset));
                while (buffer.hasRemaining()) {
                    target.write(buffer, offset + buffer.position());
                }
            }
            if (target.size() < length) {
                target.write(ByteBuffer.allocate(1), length - 1); // the length: a hole up to one last zero byte
            }
        }
    }

    /** True when every byte of {@code data} is zero. */
    public static boolean isZero(byte[] data) {
        // Arrays.mismatch is vectorised; a byte loop made scanning a 1 GiB disk several times slower.
        for (int from = 0; from < data.length; from += ZEROS.length) {
            int to = Math.min(data.length, from + ZEROS.length);
            if (java.util.Arrays.mismatch(data, from, to, ZEROS, 0, to - from) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] ZEROS = new byte[1 << 20];

    /**
     * The result of one pass over the disk.
     *
     * @param nonZero  bit i set when chunk i holds a non-zero byte
     * @param identity a SHA-256 over the disk's size and its non-zero chunks with their indexes:
     *                 equal for equal disks (the formats derive their ids from it), and cheaper
     *                 than hashing every zero of a mostly empty disk
     */
    public record Scan(BitSet nonZero, byte[] identity) {
    }

    /** Reads the disk once in chunks of {@code chunkBytes}. */
    public Scan scan(int chunkBytes) throws IOException {
        MessageDigest digest = sha256();
        digest.update(ByteBuffer.allocate(12).putLong(size).putInt(chunkBytes).array());
        BitSet nonZero = new BitSet();
        byte[] chunk = new byte[chunkBytes];
        try (FileChannel channel = openChannel()) {
            long chunks = chunks(chunkBytes);
            if (chunks > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("raw disk " + file + " is too large: " + size + " bytes");
            }
            for (long i = 0; i < chunks; i++) {
                read(channel, i, chunk);
                if (!isZero(chunk)) {
                    nonZero.set((int) i);
                    digest.update(ByteBuffer.allocate(8).putLong(i).array());
                    digest.update(chunk);
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
