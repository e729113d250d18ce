package dev.libos.core.memory;

import dev.libos.api.memory.PageAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A buddy allocator over one off-heap region of 4 KiB pages.
 *
 * <p><b>Runs are powers of two.</b> A request for {@code n} pages takes a block of
 * {@code 2^ceil(log2 n)} pages (3 pages take 4): the returned segment is exactly {@code n} pages
 * long, and the rounding waste shows in {@link #freePages()}. The largest run is the largest
 * power of two not above the region's page count; a region that is not a power of two is cut at
 * start into aligned power-of-two blocks, which never merge across their boundaries.
 *
 * <p><b>Protocol.</b> Free blocks of order {@code k} ({@code 2^k} pages, page index aligned to
 * {@code 2^k}) sit in a doubly linked free list per order, threaded through page-indexed arrays;
 * the buddy of block {@code b} is {@code b ^ 2^k}. Allocation splits the smallest sufficient
 * free block, giving the upper halves back to the free lists; free merges a block with its
 * buddy while the buddy is free at the same order. Allocated runs are recorded at their first
 * page, which is how a foreign or double free is recognised.
 *
 * <p><b>Locking.</b> One {@link ReentrantLock}, held only for the short, non-blocking free-list
 * work (zeroing happens outside it). That is acceptable because page allocation is not on the
 * scheduling path: hot paths take memory from {@link FixedBufferPool}s, which are lock-free.
 */
public final class BuddyPageAllocator implements PageAllocator, AutoCloseable {
    /** Bytes per page. */
    public static final int PAGE_SIZE = 4096;

    private static final byte NOT_FREE = -1;
    private static final int NONE = -1;

    private final String name;
    private final Arena arena;
    private final MemorySegment region;
    private final int totalPages;
    private final int maxOrder;
    private final boolean trackLeaks;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private final int[] freeHead;      // per order: first free block, or NONE
    private final int[] freeNext;      // per page that heads a free block
    private final int[] freePrev;
    private final byte[] freeOrder;    // per page: the order of the free block it heads, or NOT_FREE
    private final int[] runPages;      // per page: pages requested by the run it heads, or 0
    private final byte[] runOrder;     // per page: the order of the allocated block it heads
    private final Map<Integer, String> backingOwner = new HashMap<>(); // runs backing buffer pools
    private final Map<Integer, Throwable> allocationSites = new HashMap<>(); // when trackLeaks
    private long freePages;
    private boolean closed;

    /**
     * Reserves {@code totalBytes} of off-heap memory (a positive multiple of {@link #PAGE_SIZE}).
     *
     * @param name the owner named in errors and in {@link #outstanding()}
     * @param trackLeaks record the stack of every allocation, for {@link #outstanding()}
     */
    public BuddyPageAllocator(String name, long totalBytes, boolean trackLeaks) {
        if (totalBytes <= 0 || totalBytes % PAGE_SIZE != 0 || totalBytes / PAGE_SIZE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("totalBytes must be a positive multiple of " + PAGE_SIZE
                    + " below 2^31 pages: " + totalBytes);
        }
        this.name = name;
        this.trackLeaks = trackLeaks;
        this.totalPages = (int) (totalBytes / PAGE_SIZE);
        this.maxOrder = 31 - Integer.numberOfLeadingZeros(totalPages);
        this.freeHead = new int[maxOrder + 1];
        this.freeNext = new int[totalPages];
        this.freePrev = new int[totalPages];
        this.freeOrder = new byte[totalPages];
        this.runPages = new int[totalPages];
        this.runOrder = new byte[totalPages];
        Arrays.fill(freeHead, NONE);
        Arrays.fill(freeOrder, NOT_FREE);
        this.arena = Arena.ofShared();
        this.region = arena.allocate(totalBytes, PAGE_SIZE);
        carveInitialBlocks();
    }

    /** Cuts the region into the largest aligned power-of-two blocks, front to back. */
    private void carveInitialBlocks() {
        int page = 0;
        while (page < totalPages) {
            int order = page == 0 ? maxOrder : Math.min(maxOrder, Integer.numberOfTrailingZeros(page));
            while (page + (1 << order) > totalPages) {
                order--;
            }
            pushFree(page, order);
            freePages += 1L << order;
            page += 1 << order;
        }
    }

    public String name() {
        return name;
    }

    @Override
    public int pageSize() {
        return PAGE_SIZE;
    }

    /** The longest run {@link #allocate(int)} can ever return, in pages. */
    public int largestRunPages() {
        return 1 << maxOrder;
    }

    /**
     * Allocates {@code pages} contiguous zeroed pages (rounded up to a power of two internally).
     *
     * @return a segment of exactly {@code pages} pages, or null when no block is free
     * @throws IllegalArgumentException when {@code pages} is not in {@code 1 .. largestRunPages()}
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public MemorySegment allocate(int pages) {
        return allocate(pages, null);
    }

    /** Allocates a run that backs a buffer pool: listed by the pool, not by {@link #outstanding()}. */
    MemorySegment allocateBacking(int pages, String poolName) {
        return allocate(pages, poolName);
    }

    private MemorySegment allocate(int pages, String backingPool) {
        if (pages <= 0 || pages > largestRunPages()) {
            throw new IllegalArgumentException("pages must be in 1.." + largestRunPages() + " for " + name + ": " + pages);
        }
        int order = 32 - Integer.numberOfLeadingZeros(pages - 1); // ceil(log2(pages))
        int block;
        lock.lock();
        try {
            ensureOpen();
            int found = order;
            while (found <= maxOrder && freeHead[found] == NONE) {
                found++;
            }
            if (found > maxOrder) {
                return null; // exhaustion is an expected outcome
            }
            block = freeHead[found];
            removeFree(block, found);
            while (found > order) { // split: keep the lower half, free the upper half
                found--;
                pushFree(block + (1 << found), found);
            }
            runPages[block] = pages;
            runOrder[block] = (byte) order;
            freePages -= 1L << order;
            if (backingPool != null) {
                backingOwner.put(block, backingPool);
            }
            if (trackLeaks) {
                allocationSites.put(block, Outstanding.captureSite());
            }
        } finally {
            lock.unlock();
        }
        // The block is ours alone now, so it is zeroed outside the lock.
        return region.asSlice((long) block * PAGE_SIZE, (long) pages * PAGE_SIZE).fill((byte) 0);
    }

    /**
     * Frees a run from {@link #allocate(int)}, merging it with free buddies.
     *
     * @throws IllegalArgumentException naming the address when {@code run} is not a live run of
     *     this allocator (foreign memory, not the start of a run, wrong size, already freed, or
     *     the backing store of a buffer pool)
     */
    @Override
    public void free(MemorySegment run) {
        free(run, false);
    }

    /** Frees the backing run of a closed buffer pool. */
    void freeBacking(MemorySegment run) {
        free(run, true);
    }

    private void free(MemorySegment run, boolean backing) {
        int block = firstPageOf(run);
        lock.lock();
        try {
            ensureOpen();
            int pages = runPages[block];
            if (pages == 0) {
                throw new IllegalArgumentException("free of " + Outstanding.hex(run.address()) + " in " + name
                        + ": no allocated run starts there (double free?)");
            }
            if (run.byteSize() != (long) pages * PAGE_SIZE) {
                throw new IllegalArgumentException("free of " + Outstanding.hex(run.address()) + " in " + name
                        + ": " + run.byteSize() + " bytes, but the run there has " + (long) pages * PAGE_SIZE);
            }
            String pool = backingOwner.get(block);
            if ((pool != null) != backing) {
                throw new IllegalArgumentException("free of " + Outstanding.hex(run.address()) + " in " + name
                        + (pool != null ? ": it backs buffer pool " + pool + " (close the pool)" : ": not a pool's backing run"));
            }
            backingOwner.remove(block);
            allocationSites.remove(block);
            int order = runOrder[block];
            runPages[block] = 0;
            freePages += 1L << order;
            // Merge with the buddy while it is a whole free block of the same order.
            while (order < maxOrder) {
                int buddy = block ^ (1 << order);
                if (buddy + (1 << order) > totalPages || freeOrder[buddy] != order) {
                    break;
                }
                removeFree(buddy, order);
                block = Math.min(block, buddy);
                order++;
            }
            pushFree(block, order);
        } finally {
            lock.unlock();
        }
    }

    /** The page index a run starts at, after checking it lies in this region on a page boundary. */
    private int firstPageOf(MemorySegment run) {
        long offset = run.address() - region.address();
        if (!run.isNative() || offset < 0 || offset >= region.byteSize() || offset % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("free of " + Outstanding.hex(run.address()) + " in " + name
                    + ": not a page of this allocator [" + Outstanding.hex(region.address()) + ", "
                    + Outstanding.hex(region.address() + region.byteSize()) + ")");
        }
        return (int) (offset / PAGE_SIZE);
    }

    @Override
    public long totalPages() {
        return totalPages;
    }

    @Override
    public long freePages() {
        lock.lock();
        try {
            return freePages;
        } finally {
            lock.unlock();
        }
    }

    /** Every live run not backing a buffer pool, one line each (with its stack when tracking). */
    public List<String> outstanding() {
        List<String> lines = new ArrayList<>();
        lock.lock();
        try {
            for (int page = 0; page < totalPages; page++) {
                if (runPages[page] != 0 && !backingOwner.containsKey(page)) {
                    lines.add(Outstanding.describe(name, "run of " + runPages[page] + " pages",
                            (long) runPages[page] * PAGE_SIZE, region.address() + (long) page * PAGE_SIZE,
                            allocationSites.get(page)));
                }
            }
        } finally {
            lock.unlock();
        }
        return lines;
    }

    /** Frees the whole region; every segment handed out becomes inaccessible. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                arena.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("page allocator " + name + " is closed");
        }
    }

    private void pushFree(int block, int order) {
        int head = freeHead[order];
        freeNext[block] = head;
        freePrev[block] = NONE;
        if (head != NONE) {
            freePrev[head] = block;
        }
        freeHead[order] = block;
        freeOrder[block] = (byte) order;
    }

    private void removeFree(int block, int order) {
        int prev = freePrev[block];
        int next = freeNext[block];
        if (prev != NONE) {
            freeNext[prev] = next;
        } else {
            freeHead[order] = next;
        }
        if (next != NONE) {
            freePrev[next] = prev;
        }
        freeOrder[block] = NOT_FREE;
    }
}
