package dev.libos.core.memory;

import dev.libos.api.memory.BufferPool;
import dev.libos.api.memory.MemoryStats;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * {@code capacity} equal buffers carved from one page run; {@link #acquire()} and
 * {@link #release(MemorySegment)} are lock-free and allocation-free (unless leak tracking is on).
 *
 * <p><b>Layout.</b> Buffer {@code i} starts at {@code i * stride} in the backing run, where the
 * stride is {@code bufferSize} rounded up to {@value #CACHE_LINE} bytes, so every buffer starts on
 * its own cache line and two buffers never share one. Each buffer handed out is a slice of exactly
 * {@link #bufferSize()} bytes (pre-sliced at construction).
 *
 * <p><b>Protocol.</b> Free buffer indices sit on a lock-free {@link IndexStack}. Each buffer also
 * has a state, FREE or IN_USE, changed only by CAS: acquire pops an index and then moves it
 * FREE to IN_USE; release moves it IN_USE to FREE and only then pushes it. So a buffer is on the
 * stack only while FREE, a second release of the same buffer loses the CAS and is reported, and
 * no buffer is handed out twice at once.
 */
public final class FixedBufferPool implements BufferPool, AutoCloseable {
    /** Buffers are aligned to, and padded to a multiple of, this many bytes. */
    public static final int CACHE_LINE = 64;

    private static final int FREE = 0;
    private static final int IN_USE = 1;

    private final String name;
    private final int bufferSize;
    private final int capacity;
    private final long stride;
    private final MemorySegment backing;
    private final long baseAddress;
    private final MemorySegment[] buffers;
    private final IndexStack freeBuffers;
    private final AtomicIntegerArray state;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicReferenceArray<Throwable> acquiredAt; // null unless tracking leaks
    private final Consumer<FixedBufferPool> onClose;
    private volatile boolean closed;

    /** The distance between buffers: {@code bufferSize} rounded up to a cache line. */
    public static long strideFor(int bufferSize) {
        return ((long) bufferSize + CACHE_LINE - 1) & -CACHE_LINE;
    }

    /**
     * Carves a pool from {@code backing}, which must hold {@code capacity * strideFor(bufferSize)}
     * bytes and start on a cache line. {@link KernelMemory#newBufferPool} is the usual way in.
     *
     * @param onClose called once by {@link #close()}, to give the backing memory back
     */
    public FixedBufferPool(String name, int bufferSize, int capacity, MemorySegment backing,
                           boolean trackLeaks, Consumer<FixedBufferPool> onClose) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize of pool " + name + " must be positive: " + bufferSize);
        }
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity of pool " + name + " must be positive: " + capacity);
        }
        this.stride = strideFor(bufferSize);
        if (backing.byteSize() < stride * capacity || backing.address() % CACHE_LINE != 0) {
            throw new IllegalArgumentException("backing of pool " + name + " is " + backing.byteSize()
                    + " bytes at " + Outstanding.hex(backing.address()) + "; it needs " + stride * capacity
                    + " bytes on a " + CACHE_LINE + "-byte boundary");
        }
        this.name = name;
        this.bufferSize = bufferSize;
        this.capacity = capacity;
        this.backing = backing;
        this.baseAddress = backing.address();
        this.onClose = onClose;
        this.buffers = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++) {
            buffers[i] = backing.asSlice(i * stride, bufferSize);
        }
        this.state = new AtomicIntegerArray(capacity); // all FREE
        this.acquiredAt = trackLeaks ? new AtomicReferenceArray<>(capacity) : null;
        this.freeBuffers = new IndexStack(capacity);
        freeBuffers.fill(); // before the pool is published: final fields cover it
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int available() {
        return capacity - inUse.get();
    }

    /** The memory the buffers are carved from. */
    MemorySegment backing() {
        return backing;
    }

    /**
     * Takes a buffer (its previous contents are not cleared).
     *
     * @return a buffer, or null when all are in use
     * @throws IllegalStateException when the pool is closed
     */
    @Override
    public MemorySegment acquire() {
        int index = freeBuffers.pop();
        if (index == IndexStack.EMPTY) {
            if (closed) {
                throw new IllegalStateException("buffer pool " + name + " is closed");
            }
            return null;
        }
        // The popped index is ours alone; the CAS can only fail if the protocol was broken.
        if (!state.compareAndSet(index, FREE, IN_USE)) {
            throw new IllegalStateException("buffer pool " + name + ": free buffer " + index + " was not FREE");
        }
        inUse.incrementAndGet();
        if (acquiredAt != null) {
            acquiredAt.set(index, Outstanding.captureSite());
        }
        return buffers[index];
    }

    /**
     * Gives a buffer back.
     *
     * @throws IllegalArgumentException naming the pool and address when {@code buffer} is not a
     *     buffer of this pool (other memory, not on a buffer boundary, other size) or is already free
     */
    @Override
    public void release(MemorySegment buffer) {
        int index = indexOf(buffer);
        // Protocol: only the holder can move IN_USE to FREE, and only once.
        if (!state.compareAndSet(index, IN_USE, FREE)) {
            throw new IllegalArgumentException("release of " + Outstanding.hex(buffer.address())
                    + " to buffer pool " + name + ": the buffer is already free (double release)");
        }
        if (acquiredAt != null) {
            acquiredAt.set(index, null); // off the stack until the push below: nobody else sees it
        }
        inUse.decrementAndGet();
        // Ordering: the FREE state is written before the push that lets another thread pop it.
        freeBuffers.push(index);
    }

    private int indexOf(MemorySegment buffer) {
        long offset = buffer.address() - baseAddress;
        if (!buffer.isNative() || offset < 0 || offset >= stride * capacity || offset % stride != 0
                || buffer.byteSize() != bufferSize) {
            throw new IllegalArgumentException("release of " + Outstanding.hex(buffer.address()) + " ("
                    + buffer.byteSize() + " bytes) to buffer pool " + name + ": not one of its " + bufferSize
                    + "-byte buffers in [" + Outstanding.hex(baseAddress) + ", "
                    + Outstanding.hex(baseAddress + stride * capacity) + ")");
        }
        return (int) (offset / stride);
    }

    /** This pool's line in {@link MemoryStats}. */
    public MemoryStats.Pool stats() {
        return new MemoryStats.Pool(name, bufferSize, capacity, inUse.get());
    }

    /** Every buffer in use, one line each (with its stack when tracking leaks). */
    public List<String> outstanding() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            if (state.get(i) == IN_USE) {
                lines.add(Outstanding.describe("pool " + name, "buffer", bufferSize, buffers[i].address(),
                        acquiredAt == null ? null : acquiredAt.get(i)));
            }
        }
        return lines;
    }

    /**
     * Closes the pool and gives its memory back. It takes every free buffer off the free stack
     * first, so a concurrent acquire finds the pool empty rather than a freed buffer. Idempotent.
     *
     * @throws IllegalStateException naming how many buffers are still in use (the pool stays open)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        int[] taken = new int[capacity];
        int count = 0;
        for (int index = freeBuffers.pop(); index != IndexStack.EMPTY; index = freeBuffers.pop()) {
            taken[count++] = index;
        }
        if (count < capacity) {
            for (int i = 0; i < count; i++) {
                freeBuffers.push(taken[i]);
            }
            throw new IllegalStateException("buffer pool " + name + " has " + (capacity - count)
                    + " buffers still in use; release them before closing");
        }
        closed = true;
        onClose.accept(this);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "FixedBufferPool[" + name + ", " + bufferSize + " B x " + capacity + ", in use " + inUse.get() + "]";
    }
}
