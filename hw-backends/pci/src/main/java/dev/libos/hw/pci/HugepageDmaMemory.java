package dev.libos.hw.pci;

import dev.libos.api.device.DmaMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DMA memory from hugetlbfs: a fixed number of huge pages in one file under the mount, mapped
 * {@code MAP_SHARED | MAP_POPULATE} (so every page is faulted in at once) and locked with mlock,
 * so the kernel neither swaps nor migrates them and their physical addresses stay valid. Each
 * page is translated once, when mapped. A huge page is physically contiguous but consecutive
 * pages need not be, so no allocation crosses a page boundary and none is larger than a page.
 *
 * <p>Allocation is a bump pointer within the current page; a page whose buffers are all closed
 * returns to a free list. Calls are serialised by this object's monitor: allocation happens when
 * drivers set up rings and buffer pools, not per packet.
 */
public final class HugepageDmaMemory implements DmaMemory, AutoCloseable {
    private static final AtomicLong FILE_COUNTER = new AtomicLong();

    private final Arena arena;
    private final MemorySegment mapping;
    private final long pageBytes;
    private final long[] pageDeviceAddresses;
    /** Live buffers per page; a page at zero that is not the current page is on {@link #freePages}. */
    private final int[] liveBuffers;
    private final ArrayDeque<Integer> freePages = new ArrayDeque<>();
    private int currentPage = -1;
    private long currentOffset;

    private HugepageDmaMemory(Arena arena, MemorySegment mapping, long pageBytes, long[] pageDeviceAddresses) {
        this.arena = arena;
        this.mapping = mapping;
        this.pageBytes = pageBytes;
        this.pageDeviceAddresses = pageDeviceAddresses;
        this.liveBuffers = new int[pageDeviceAddresses.length];
        for (int page = 0; page < pageDeviceAddresses.length; page++) {
            freePages.add(page);
        }
    }

    /**
     * {@code pages} huge pages from the hugetlbfs at {@code mountPoint}, its page size read from
     * {@code /proc/mounts}, physical addresses from {@code /proc/self/pagemap}.
     *
     * @throws IOException when {@code mountPoint} is not a hugetlbfs mount, the pages cannot be
     *         had (none reserved: see {@code /proc/sys/vm/nr_hugepages}) or locked, or the
     *         physical addresses cannot be read (needs CAP_SYS_ADMIN)
     */
    public static HugepageDmaMemory open(Path mountPoint, int pages) throws IOException {
        String mounts = Files.readString(Path.of("/proc/mounts"), StandardCharsets.US_ASCII);
        String meminfo = Files.readString(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII);
        long pageBytes = HugetlbfsMount.pageBytes(mounts, mountPoint, meminfo)
                .orElseThrow(() -> new IOException(mountPoint + " is not a hugetlbfs mount (see /proc/mounts)"));
        return open(mountPoint, pageBytes, pages, PagemapTranslation.self());
    }

    /**
     * {@code pages} pages of {@code pageBytes} from a file created (and at once unlinked) in
     * {@code directory}, translated with {@code translation}. Tests pass an ordinary directory
     * and {@link AddressTranslation#IDENTITY} to exercise the allocator without huge pages.
     */
    public static HugepageDmaMemory open(Path directory, long pageBytes, int pages, AddressTranslation translation)
            throws IOException {
        if (pageBytes <= 0 || Long.bitCount(pageBytes) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: " + pageBytes);
        }
        if (pages <= 0) {
            throw new IllegalArgumentException("page count must be positive: " + pages);
        }
        long totalBytes = pageBytes * pages;
        Path file = directory.resolve("libos-dma-" + ProcessHandle.current().pid() + "-"
                + FILE_COUNTER.incrementAndGet());
        Arena arena = Arena.ofShared();
        try {
            int fd = Posix.open(file.toString(), Posix.O_RDWR | Posix.O_CREAT, 0600);
            MemorySegment mapping;
            try {
                Posix.ftruncate(fd, totalBytes, file.toString());
                mapping = Posix.mmap(fd, totalBytes, Posix.MAP_SHARED | Posix.MAP_POPULATE, arena, file.toString());
            } finally {
                Posix.close(fd);
                // The mapping holds the pages; without a name they are freed when it goes.
                Files.deleteIfExists(file);
            }
            if (mapping.address() % pageBytes != 0) {
                // hugetlbfs aligns mappings to its page size; anything else is not huge pages.
                throw new IOException(file + ": mapping at 0x" + Long.toHexString(mapping.address())
                        + " is not aligned to the page size " + pageBytes + " (is " + directory + " hugetlbfs?)");
            }
            Posix.mlock(mapping, file.toString());
            long[] deviceAddresses = new long[pages];
            for (int page = 0; page < pages; page++) {
                deviceAddresses[page] = translation.deviceAddress(mapping.asSlice(page * pageBytes, pageBytes));
            }
            return new HugepageDmaMemory(arena, mapping, pageBytes, deviceAddresses);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Bytes per page; the largest allocation. */
    public long pageBytes() {
        return pageBytes;
    }

    /** Number of pages mapped. */
    public int pageCount() {
        return pageDeviceAddresses.length;
    }

    /** The device address of page {@code page}'s first byte. */
    public long pageDeviceAddress(int page) {
        return pageDeviceAddresses[page];
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also for a size or alignment larger than a page
     * @throws IllegalStateException when every page is in use
     */
    @Override
    public synchronized DmaBuffer allocate(long bytes, long alignment) {
        DmaAllocation.checkRequest(bytes, alignment);
        if (bytes > pageBytes || alignment > pageBytes) {
            throw new IllegalArgumentException("DMA allocation of " + bytes + " bytes aligned to " + alignment
                    + " exceeds the page size " + pageBytes);
        }
        long offset = currentPage < 0 ? pageBytes : DmaAllocation.alignUp(currentOffset, alignment);
        if (offset + bytes > pageBytes) {
            retireCurrentPage();
            Integer page = freePages.poll();
            if (page == null) {
                throw new IllegalStateException("DMA memory exhausted: all " + pageCount() + " pages of "
                        + pageBytes + " bytes in use");
            }
            currentPage = page;
            offset = 0;
        }
        currentOffset = offset + bytes;
        liveBuffers[currentPage]++;
        long start = currentPage * pageBytes + offset;
        return new Buffer(currentPage, mapping.asSlice(start, bytes), pageDeviceAddresses[currentPage] + offset);
    }

    private void retireCurrentPage() {
        if (currentPage >= 0 && liveBuffers[currentPage] == 0) {
            freePages.add(currentPage);
        }
        currentPage = -1;
    }

    private synchronized void release(int page) {
        liveBuffers[page]--;
        if (liveBuffers[page] == 0) {
            if (page == currentPage) {
                currentOffset = 0; // the whole page is free again: reuse it from its start
            } else {
                freePages.add(page);
            }
        }
    }

    /** Unmaps every page; buffers still open become inaccessible (access throws, never faults). */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private final class Buffer implements DmaBuffer {
        private final int page;
        private final MemorySegment segment;
        private final long deviceAddress;
        private boolean closed;

        Buffer(int page, MemorySegment segment, long deviceAddress) {
            this.page = page;
            this.segment = segment;
            this.deviceAddress = deviceAddress;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public long deviceAddress() {
            return deviceAddress;
        }

        @Override
        public void close() {
            synchronized (HugepageDmaMemory.this) {
                if (closed) {
                    return;
                }
                closed = true;
                release(page);
            }
        }
    }
}
