package dev.libos.hw.hosted.block;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.BlockRange;
import java.lang.foreign.MemorySegment;

/**
 * A block device in heap memory: writes are durable at once, flush does nothing. Thread-safe
 * (each call is synchronised), so any thread may use it.
 */
public final class MemoryBlockDevice implements BlockDevice {
    private final String name;
    private final int blockSize;
    private final long blockCount;
    private final MemorySegment storage;

    public MemoryBlockDevice(String name, int blockSize, long blockCount) {
        BlockRange.checkGeometry(name, blockSize, blockCount);
        if (blockSize * blockCount > Integer.MAX_VALUE - 16L) {
            throw new IllegalArgumentException("memory device of " + blockSize * blockCount + " bytes exceeds a heap array");
        }
        this.name = name;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.storage = MemorySegment.ofArray(new byte[(int) (blockSize * blockCount)]);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public synchronized void read(long block, MemorySegment dst) {
        BlockRange.check(this, block, dst);
        dst.copyFrom(storage.asSlice(block * blockSize, dst.byteSize()));
    }

    @Override
    public synchronized void write(long block, MemorySegment src) {
        BlockRange.check(this, block, src);
        storage.asSlice(block * blockSize, src.byteSize()).copyFrom(src);
    }

    @Override
    public void flush() {
    }

    /** A copy of every byte (tests compare or corrupt images with it). */
    public synchronized byte[] contents() {
        return storage.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** Overwrites the whole device with {@code image} (tests restore or corrupt images with it). */
    public synchronized void load(byte[] image) {
        if (image.length != storage.byteSize()) {
            throw new IllegalArgumentException("image of " + image.length + " bytes for a device of " + storage.byteSize());
        }
        storage.copyFrom(MemorySegment.ofArray(image));
    }
}
