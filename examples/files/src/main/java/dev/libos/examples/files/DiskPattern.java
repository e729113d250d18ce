package dev.libos.examples.files;

import dev.libos.api.device.BlockDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 5's virtio-blk check: the host writes a header into sector 0 of a raw disk
 * ({@code libos-pattern seed=S bytes=N}); the guest writes N bytes of the pattern of seed S from
 * sector 1, flushes, reads them back and compares; the host then checks the disk file against
 * the same pattern (bin/vm-files-test does it in Python). The pattern: 64-bit little-endian words,
 * word i = SplitMix64 of {@code seed + (i + 1) * 0x9E3779B97F4A7C15}, so any byte can be
 * recomputed from its offset alone.
 */
final class DiskPattern {
    /** Bytes moved per device call. */
    static final int CHUNK_BYTES = 1 << 20;
    private static final Pattern HEADER = Pattern.compile("libos-pattern seed=(-?\\d+) bytes=(\\d+)\n");

    /** What the host asked for. */
    record Request(long seed, long bytes) {
    }

    /** What happened: bytes moved, nanoseconds taken, first mismatching offset or -1. */
    record Result(long bytes, long writeNanos, long readNanos, long firstMismatch) {
        double writeMegabytesPerSecond() {
            return bytes / 1e6 / (writeNanos / 1e9);
        }

        double readMegabytesPerSecond() {
            return bytes / 1e6 / (readNanos / 1e9);
        }
    }

    private DiskPattern() {
    }

    /** Word {@code index} of the pattern of {@code seed}. */
    static long word(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The request in sector 0 of {@code disk}.
     *
     * @throws IOException when sector 0 holds no header, or one asking for more than the disk holds
     */
    static Request readRequest(BlockDevice disk) throws IOException {
        MemorySegment first = MemorySegment.ofArray(new byte[disk.blockSize()]);
        disk.read(0, first);
        String text = new String(first.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
        int end = text.indexOf('\n');
        Matcher m = HEADER.matcher(end < 0 ? "" : text.substring(0, end + 1));
        if (!m.matches()) {
            throw new IOException(disk.name() + ": sector 0 holds no 'libos-pattern seed=S bytes=N' header");
        }
        long bytes = Long.parseLong(m.group(2));
        long room = (disk.blockCount() - 1) * disk.blockSize();
        if (bytes <= 0 || bytes % CHUNK_BYTES != 0 || bytes > room) {
            throw new IOException(disk.name() + ": pattern of " + bytes + " bytes must be a positive multiple of "
                    + CHUNK_BYTES + " within the disk's " + room + " bytes after sector 0");
        }
        return new Request(Long.parseLong(m.group(1)), bytes);
    }

    /**
     * Writes the pattern from block 1, flushes, reads it back and compares. The pattern is
     * computed before the write clock starts and compared after the read clock stops, so the
     * figures time the device (requests, DMA, copies), not the pattern arithmetic.
     */
    static Result run(BlockDevice disk, Request request, LongSupplierClock clock) throws IOException {
        if (CHUNK_BYTES % disk.blockSize() != 0) {
            throw new IOException(disk.name() + ": block size " + disk.blockSize() + " does not divide " + CHUNK_BYTES);
        }
        long blocksPerChunk = CHUNK_BYTES / disk.blockSize();
        int chunks = (int) (request.bytes() / CHUNK_BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pattern = arena.allocate(request.bytes(), 8);
            MemorySegment back = arena.allocate(request.bytes(), 8);
            for (int c = 0; c < chunks; c++) {
                fill(pattern.asSlice((long) c * CHUNK_BYTES, CHUNK_BYTES), request.seed(), (long) c * CHUNK_BYTES / 8);
            }
            long start = clock.nanoTime();
            for (int c = 0; c < chunks; c++) {
                disk.write(1 + c * blocksPerChunk, pattern.asSlice((long) c * CHUNK_BYTES, CHUNK_BYTES));
            }
            disk.flush();
            long written = clock.nanoTime();
            for (int c = 0; c < chunks; c++) {
                disk.read(1 + c * blocksPerChunk, back.asSlice((long) c * CHUNK_BYTES, CHUNK_BYTES));
            }
            long read = clock.nanoTime();
            long mismatch = back.mismatch(pattern);
            return new Result(request.bytes(), written - start, read - written, mismatch);
        }
    }

    private static void fill(MemorySegment chunk, long seed, long firstWord) {
        for (int w = 0; w < CHUNK_BYTES / 8; w++) {
            chunk.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), w * 8L, word(seed, firstWord + w));
        }
    }

    /** The time source (System::nanoTime in the guest). */
    interface LongSupplierClock {
        long nanoTime();
    }
}
