package dev.libos.core.memory;

import dev.libos.api.memory.Memory;
import dev.libos.api.memory.MemoryStats;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kernel's memory: one {@link BuddyPageAllocator} and the {@link FixedBufferPool}s carved
 * from it, with accounting ({@link #stats()}) and a leak report ({@link #outstanding()}).
 *
 * <p>Leak tracking ({@code trackLeaks}) records the stack of every page run and every acquired
 * buffer; it costs an allocation per acquire, so it is off by default and meant for tests and
 * debugging. Without it, {@link #outstanding()} still lists every live allocation, without stacks.
 */
public final class KernelMemory implements Memory, AutoCloseable {
    private final BuddyPageAllocator pages;
    private final boolean trackLeaks;
    private final ConcurrentMap<String, FixedBufferPool> pools = new ConcurrentHashMap<>();
    private final ReentrantLock creationLock = new ReentrantLock();

    /** Reserves {@code totalBytes} (a positive multiple of 4096) without leak tracking. */
    public KernelMemory(long totalBytes) {
        this(totalBytes, false);
    }

    /**
     * Reserves {@code totalBytes} (a positive multiple of {@link BuddyPageAllocator#PAGE_SIZE}).
     *
     * @param trackLeaks record allocation stacks for {@link #outstanding()}
     */
    public KernelMemory(long totalBytes, boolean trackLeaks) {
        this.pages = new BuddyPageAllocator("pages", totalBytes, trackLeaks);
        this.trackLeaks = trackLeaks;
    }

    @Override
    public BuddyPageAllocator pages() {
        return pages;
    }

    /**
     * Creates a pool; its buffers are {@code bufferSize} bytes, {@value FixedBufferPool#CACHE_LINE}-byte
     * aligned. Close it ({@link FixedBufferPool#close()}) to give its pages back. Pool names are
     * unique among open pools.
     *
     * @throws IllegalArgumentException for a blank or taken name, a non-positive size or count, or
     *     a buffer larger than the largest page run
     * @throws OutOfMemoryError when no free page run can hold the pool
     */
    @Override
    public FixedBufferPool newBufferPool(String name, int bufferSize, int buffers) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("buffer pool name must not be blank: '" + name + "'");
        }
        if (bufferSize <= 0 || buffers <= 0) {
            throw new IllegalArgumentException("buffer pool " + name + " needs a positive size and count: bufferSize="
                    + bufferSize + ", buffers=" + buffers);
        }
        long largestRunBytes = (long) pages.largestRunPages() * pages.pageSize();
        long stride = FixedBufferPool.strideFor(bufferSize);
        if (stride > largestRunBytes) {
            throw new IllegalArgumentException("buffer pool " + name + ": bufferSize " + bufferSize
                    + " exceeds the largest page run of " + largestRunBytes + " bytes");
        }
        long bytes = stride * buffers;
        long runPages = (bytes + pages.pageSize() - 1) / pages.pageSize();
        if (runPages > pages.largestRunPages()) {
            throw new OutOfMemoryError("buffer pool " + name + " needs " + bytes
                    + " bytes, more than the largest page run of " + largestRunBytes);
        }
        // Creation is rare and not on a hot path: a lock keeps "name free, then allocate" atomic.
        creationLock.lock();
        try {
            if (pools.containsKey(name)) {
                throw new IllegalArgumentException("a buffer pool named " + name + " already exists");
            }
            MemorySegment run = pages.allocateBacking((int) runPages, name);
            if (run == null) {
                throw new OutOfMemoryError("buffer pool " + name + ": no free run of " + runPages + " pages");
            }
            FixedBufferPool pool = new FixedBufferPool(name, bufferSize, buffers, run, trackLeaks, this::poolClosed);
            pools.put(name, pool);
            return pool;
        } finally {
            creationLock.unlock();
        }
    }

    private void poolClosed(FixedBufferPool pool) {
        pages.freeBacking(pool.backing());
        pools.remove(pool.name(), pool);
    }

    /** The open pool of that name, or null. */
    public FixedBufferPool pool(String name) {
        return pools.get(name);
    }

    @Override
    public MemoryStats stats() {
        List<MemoryStats.Pool> poolStats = new ArrayList<>();
        for (FixedBufferPool pool : openPools()) {
            poolStats.add(pool.stats());
        }
        return new MemoryStats(pages.pageSize(), pages.totalPages(), pages.freePages(), poolStats);
    }

    /** Live page runs (other than pools' backing runs), then buffers in use, pool by pool. */
    @Override
    public List<String> outstanding() {
        List<String> lines = new ArrayList<>(pages.outstanding());
        for (FixedBufferPool pool : openPools()) {
            lines.addAll(pool.outstanding());
        }
        return lines;
    }

    private List<FixedBufferPool> openPools() {
        List<FixedBufferPool> open = new ArrayList<>(pools.values());
        open.sort(Comparator.comparing(FixedBufferPool::name));
        return open;
    }

    /** Frees all memory at once, pools included; every segment handed out becomes inaccessible. */
    @Override
    public void close() {
        pools.clear();
        pages.close();
    }
}
