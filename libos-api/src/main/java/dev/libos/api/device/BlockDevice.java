package dev.libos.api.device;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A device of fixed-size blocks (device SPI skeleton: the storage work fills in asynchronous
 * submission). A libos thread that calls these parks until the device completes.
 */
public interface BlockDevice {
    String name();

    /** Bytes per block: a power of two, at least 512. */
    int blockSize();

    long blockCount();

    /**
     * Reads {@code dst.byteSize() / blockSize()} blocks starting at {@code block}.
     *
     * @throws IllegalArgumentException when {@link BlockRange#check} refuses the transfer (not a
     *         positive multiple of the block size, or blocks outside the device)
     */
    void read(long block, MemorySegment dst) throws IOException;

    /**
     * Writes {@code src.byteSize() / blockSize()} blocks starting at {@code block}.
     *
     * @throws IllegalArgumentException when {@link BlockRange#check} refuses the transfer
     */
    void write(long block, MemorySegment src) throws IOException;

    /** Returns once every completed write is durable. */
    void flush() throws IOException;
}
