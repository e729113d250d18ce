package dev.libos.hw.hosted.block;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.BlockRange;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Wraps a device with a volatile write cache and seeded faults ({@link FaultPlan}).
 *
 * <p><b>Write cache model.</b> A write lands in the cache, not on the inner device; reads see
 * the newest cached version. {@link #flush()} writes every cached block to the inner device and
 * flushes it: only then is data durable. At a power cut ({@link #powerCut()}, or armed with
 * {@link #cutPowerAfterWrites}) each cached block independently either never reached the medium,
 * or reached it in one of the versions written since the last flush (the cache may have written
 * an older version out and lost the newer), possibly torn at a 512-byte sector boundary. A
 * multi-block write can therefore survive in part (a torn write). After a cut every call fails
 * with IOException until {@link #powerOn()}; the inner device then holds what survived.
 *
 * <p>All choices come from one {@link SplittableRandom} seeded at construction, so a failing
 * scenario is rerun from its seed. Thread-safe: every call is synchronised.
 */
public final class FaultInjectingBlockDevice implements BlockDevice {
    /** Sector size at which a block can tear. */
    public static final int SECTOR_SIZE = 512;

    private final BlockDevice inner;
    private final FaultPlan plan;
    private final SplittableRandom random;
    /** Versions of each block written since the last flush, oldest first, in first-write order. */
    private final Map<Long, List<byte[]>> cache = new LinkedHashMap<>();
    private boolean powered = true;
    private long writesUntilCut = -1;
    private long writes;
    private long flushes;
    private long bitFlips;
    private long ioErrors;
    private long powerCuts;

    public FaultInjectingBlockDevice(BlockDevice inner, FaultPlan plan, long seed) {
        this.inner = inner;
        this.plan = plan;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return "faulty(" + inner.name() + ")";
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public long blockCount() {
        return inner.blockCount();
    }

    /** Cuts the power when the {@code writes}-th write from now is issued (that write is lost or kept like any unflushed one). */
    public synchronized void cutPowerAfterWrites(long writes) {
        if (writes < 1) {
            throw new IllegalArgumentException("writes must be positive: " + writes);
        }
        this.writesUntilCut = writes;
    }

    @Override
    public synchronized void read(long block, MemorySegment dst) throws IOException {
        requirePower();
        long blocks = BlockRange.check(this, block, dst);
        maybeFail("read", block);
        inner.read(block, dst);
        int size = blockSize();
        for (long i = 0; i < blocks; i++) {
            List<byte[]> versions = cache.get(block + i);
            if (versions != null) {
                MemorySegment.copy(versions.getLast(), 0, dst, ValueLayout.JAVA_BYTE, i * size, size);
            }
        }
        if (plan.bitFlipPerReadProbability() > 0 && random.nextDouble() < plan.bitFlipPerReadProbability()) {
            long bit = random.nextLong(dst.byteSize() * 8);
            byte b = dst.get(ValueLayout.JAVA_BYTE, bit / 8);
            dst.set(ValueLayout.JAVA_BYTE, bit / 8, (byte) (b ^ (1 << (bit % 8))));
            bitFlips++;
        }
    }

    @Override
    public synchronized void write(long block, MemorySegment src) throws IOException {
        requirePower();
        long blocks = BlockRange.check(this, block, src);
        maybeFail("write", block);
        int size = blockSize();
        for (long i = 0; i < blocks; i++) {
            byte[] copy = src.asSlice(i * size, size).toArray(ValueLayout.JAVA_BYTE);
            cache.computeIfAbsent(block + i, b -> new ArrayList<>()).add(copy);
        }
        writes++;
        if (writesUntilCut > 0 && --writesUntilCut == 0) {
            powerCut();
            throw new IOException(name() + ": power cut during write of block " + block);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        requirePower();
        maybeFail("flush", -1);
        MemorySegment buffer = MemorySegment.ofArray(new byte[blockSize()]);
        for (Map.Entry<Long, List<byte[]>> e : cache.entrySet()) {
            buffer.copyFrom(MemorySegment.ofArray(e.getValue().getLast()));
            inner.write(e.getKey(), buffer);
        }
        cache.clear();
        inner.flush();
        flushes++;
    }

    /** Cuts the power now: resolves the cache as the class comment says; every call fails until {@link #powerOn()}. */
    public synchronized void powerCut() throws IOException {
        if (!powered) {
            return;
        }
        int size = blockSize();
        byte[] old = new byte[size];
        for (Map.Entry<Long, List<byte[]>> e : cache.entrySet()) {
            if (random.nextDouble() >= plan.keepUnflushedProbability()) {
                continue; // never reached the medium
            }
            List<byte[]> versions = e.getValue();
            byte[] survivor = versions.get(random.nextInt(versions.size())).clone();
            if (random.nextDouble() < plan.tornSectorProbability()) {
                inner.read(e.getKey(), MemorySegment.ofArray(old));
                int newSectors = random.nextInt(size / SECTOR_SIZE);
                System.arraycopy(old, newSectors * SECTOR_SIZE, survivor, newSectors * SECTOR_SIZE, size - newSectors * SECTOR_SIZE);
            }
            inner.write(e.getKey(), MemorySegment.ofArray(survivor));
        }
        inner.flush();
        cache.clear();
        powered = false;
        writesUntilCut = -1;
        powerCuts++;
    }

    /** Restores power after a cut: the device reads what survived. */
    public synchronized void powerOn() {
        powered = true;
    }

    public synchronized boolean isPowered() {
        return powered;
    }

    /** Blocks written since the last flush (lost or kept at a cut). */
    public synchronized int unflushedBlocks() {
        return cache.size();
    }

    /** Counters: writes, flushes, bit flips, injected I/O errors, power cuts. */
    public synchronized String stats() {
        return "writes=" + writes + " flushes=" + flushes + " bitFlips=" + bitFlips + " ioErrors=" + ioErrors + " powerCuts=" + powerCuts;
    }

    public synchronized long bitFlips() {
        return bitFlips;
    }

    private void requirePower() throws IOException {
        if (!powered) {
            throw new IOException(name() + ": no power");
        }
    }

    private void maybeFail(String op, long block) throws IOException {
        if (plan.ioErrorProbability() > 0 && random.nextDouble() < plan.ioErrorProbability()) {
            ioErrors++;
            throw new IOException(name() + ": injected I/O error on " + op + (block >= 0 ? " of block " + block : ""));
        }
    }
}
