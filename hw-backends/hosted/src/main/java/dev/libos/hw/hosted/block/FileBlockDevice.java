package dev.libos.hw.hosted.block;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.BlockRange;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A block device stored in a host file through a {@link FileChannel}: positional reads and
 * writes (thread-safe, no shared position), flush is {@code force(true)} (fdatasync plus
 * metadata). The file is created and extended to the device size when needed.
 */
public final class FileBlockDevice implements BlockDevice, AutoCloseable {
    private final String name;
    private final int blockSize;
    private final long blockCount;
    private final FileChannel channel;

    private FileBlockDevice(String name, int blockSize, long blockCount, FileChannel channel) {
        this.name = name;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.channel = channel;
    }

    /** Opens (creating if absent) {@code file} as a device of {@code blockCount} blocks of {@code blockSize} bytes. */
    public static FileBlockDevice open(Path file, int blockSize, long blockCount) throws IOException {
        BlockRange.checkGeometry(file.toString(), blockSize, blockCount);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long bytes = blockSize * blockCount;
        if (channel.size() < bytes) {
            channel.write(ByteBuffer.wrap(new byte[1]), bytes - 1); // extends with a hole: reads as zeros
        }
        return new FileBlockDevice(file.toString(), blockSize, blockCount, channel);
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
    public void read(long block, MemorySegment dst) throws IOException {
        BlockRange.check(this, block, dst);
        ByteBuffer buffer = dst.asByteBuffer();
        long position = block * blockSize;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException(name + ": file ends before block " + block);
            }
        }
    }

    @Override
    public void write(long block, MemorySegment src) throws IOException {
        BlockRange.check(this, block, src);
        ByteBuffer buffer = src.asByteBuffer();
        long position = block * blockSize;
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
