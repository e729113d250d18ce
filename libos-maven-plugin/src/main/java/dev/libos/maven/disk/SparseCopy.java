package dev.libos.maven.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Copies byte ranges between files in 64 KiB chunks, writing an all-zero chunk only where the
 * target holds something else, so sparse files (the boot disk, the state volume) stay sparse.
 */
public final class SparseCopy {
    static final int CHUNK = 1 << 16;

    private SparseCopy() {
    }

    /** Copies {@code length} bytes from {@code from} at {@code fromOffset} to {@code to} at {@code toOffset}. */
    public static void copy(FileChannel from, long fromOffset, FileChannel to, long toOffset, long length) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        ByteBuffer existing = ByteBuffer.allocate(CHUNK);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(CHUNK, length - done);
            read(from, fromOffset + done, chunk, n);
            boolean zero = isZero(chunk, n);
            if (zero) {
                existing.clear().limit(n);
                int got = to.read(existing, toOffset + done);
                if (got <= 0 || isZero(existing.flip(), existing.limit())) {
                    done += n;
                    continue;   // a hole or zeros already: nothing to write
                }
            }
            chunk.position(0).limit(n);
            while (chunk.hasRemaining()) {
                to.write(chunk, toOffset + done + chunk.position());
            }
            done += n;
        }
    }

    private static void read(FileChannel channel, long position, ByteBuffer buffer, int n) throws IOException {
        buffer.clear().limit(n);
        while (buffer.hasRemaining()) {
            int got = channel.read(buffer, position + buffer.position());
            if (got < 0) {
                // Past the end of the source: the rest reads as zeros, as a hole would.
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 0);
                }
            }
        }
        buffer.flip();
    }

    private static boolean isZero(ByteBuffer buffer, int n) {
        for (int i = 0; i < n; i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
