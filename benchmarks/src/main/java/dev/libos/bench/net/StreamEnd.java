package dev.libos.bench.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One end of a connected TCP stream, with blocking calls (the calling thread parks while it waits). */
interface StreamEnd extends AutoCloseable {
    /** Writes all of {@code src}. */
    void writeFully(ByteBuffer src) throws IOException;

    /** Reads at least one byte into {@code dst} (which has room), or returns -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Fills {@code dst}.
     *
     * @throws EOFException when the stream ends first
     */
    default void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new EOFException("stream ended with " + dst.remaining() + " bytes still expected");
            }
        }
    }

    @Override
    void close() throws IOException;
}
