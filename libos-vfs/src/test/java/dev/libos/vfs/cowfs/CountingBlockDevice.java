package dev.libos.vfs.cowfs;

import dev.libos.api.device.BlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** A block device that passes every call on to another and counts write requests, blocks written and flushes. */
final class CountingBlockDevice implements BlockDevice {
    private final BlockDevice inner;
    /** Write calls: a commit batches consecutive blocks into one. */
    long writeRequests;
    /** Blocks written, whatever the batching. */
    long blocksWritten;
    long flushes;

    CountingBlockDevice(BlockDevice inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public long blockCount() {
        return inner.blockCount();
    }

    @Override
    public void read(long block, MemorySegment dst) throws IOException {
        inner.read(block, dst);
    }

    @Override
    public void write(long block, MemorySegment src) throws IOException {
        writeRequests++;
        blocksWritten += src.byteSize() / inner.blockSize();
        inner.write(block, src);
    }

    @Override
    public void flush() throws IOException {
        flushes++;
        inner.flush();
    }
}
