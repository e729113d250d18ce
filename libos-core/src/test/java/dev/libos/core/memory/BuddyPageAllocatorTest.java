package dev.libos.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuddyPageAllocatorTest {
    private static final int PAGE = BuddyPageAllocator.PAGE_SIZE;
    private static final int PAGES = 64; // 256 KiB

    private final BuddyPageAllocator allocator = new BuddyPageAllocator("test-pages", (long) PAGES * PAGE, false);

    @AfterEach
    void close() {
        allocator.close();
    }

    @Test
    void geometry() {
        assertEquals(PAGE, allocator.pageSize());
        assertEquals(PAGES, allocator.totalPages());
        assertEquals(PAGES, allocator.freePages());
        assertEquals(PAGES, allocator.largestRunPages());
    }

    @Test
    void runsArePageAlignedExactlyAsLongAsAskedAndRoundedUpInAccounting() {
        MemorySegment run = allocator.allocate(3);
        assertEquals(3L * PAGE, run.byteSize());
        assertEquals(0, run.address() % PAGE);
        assertEquals(PAGES - 4, allocator.freePages(), "3 pages take a 4-page block");
        allocator.free(run);
        assertEquals(PAGES, allocator.freePages());
    }

    @Test
    void runsDoNotOverlap() {
        List<MemorySegment> runs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            MemorySegment run = allocator.allocate(1 + (i % 4)); // 1,2,3(4),4 pages: 44 of 64 in blocks
            if (run == null) {
                break;
            }
            run.fill((byte) i);
            runs.add(run);
        }
        for (int i = 0; i < runs.size(); i++) {
            MemorySegment run = runs.get(i);
            for (long b = 0; b < run.byteSize(); b += 512) {
                assertEquals((byte) i, run.get(ValueLayout.JAVA_BYTE, b), "run " + i + " was overwritten");
            }
        }
        runs.forEach(allocator::free);
        assertEquals(PAGES, allocator.freePages());
    }

    @Test
    void freeCoalescesBackToOneFullSizeRun() {
        List<MemorySegment> singles = new ArrayList<>();
        for (int i = 0; i < PAGES; i++) {
            singles.add(allocator.allocate(1));
        }
        assertNull(allocator.allocate(1), "exhausted");
        assertEquals(0, allocator.freePages());
        // Free in a scrambled order: only full coalescing gives one 64-page run back.
        SplittableRandom random = new SplittableRandom(7);
        while (!singles.isEmpty()) {
            allocator.free(singles.remove(random.nextInt(singles.size())));
        }
        MemorySegment whole = allocator.allocate(PAGES);
        assertNotNull(whole, "all buddies merged into one run");
        assertEquals((long) PAGES * PAGE, whole.byteSize());
        allocator.free(whole);
    }

    @Test
    void fragmentationBlocksALargeRunUntilTheBuddyComesBack() {
        MemorySegment a = allocator.allocate(32);
        MemorySegment b = allocator.allocate(16);
        assertNull(allocator.allocate(32), "only 16 pages left, in one block");
        assertNotNull(allocator.allocate(16) , "the last 16-page block");
        assertNull(allocator.allocate(1));
        allocator.free(a);
        MemorySegment again = allocator.allocate(32);
        assertNotNull(again);
        allocator.free(b);
        allocator.free(again);
    }

    @Test
    void exhaustionReturnsNull() {
        MemorySegment all = allocator.allocate(PAGES);
        assertNull(allocator.allocate(1));
        allocator.free(all);
        assertNotNull(allocator.allocate(1));
    }

    @Test
    void requestsOutsideOneToLargestRunAreRejected() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> allocator.allocate(0));
        assertTrue(zero.getMessage().contains(": 0"), zero.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> allocator.allocate(PAGES + 1));
        assertTrue(big.getMessage().contains(String.valueOf(PAGES + 1)), big.getMessage());
    }

    @Test
    void allocationIsZeroed() {
        MemorySegment run = allocator.allocate(2);
        run.fill((byte) 0x5A);
        allocator.free(run);
        MemorySegment again = allocator.allocate(2);
        assertEquals(run.address(), again.address(), "the same block comes back");
        assertEquals(-1L, again.mismatch(MemorySegment.ofArray(new byte[2 * PAGE])), "every byte is zero");
    }

    @Test
    void doubleFreeIsRejectedNamingTheAddress() {
        MemorySegment run = allocator.allocate(1);
        allocator.free(run);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator.free(run));
        assertTrue(e.getMessage().contains(Long.toHexString(run.address())), e.getMessage());
        assertTrue(e.getMessage().contains("double free"), e.getMessage());
        assertEquals(PAGES, allocator.freePages(), "the bad free changed nothing");
    }

    @Test
    void foreignFreeIsRejectedNamingTheAddress() {
        try (Arena other = Arena.ofConfined()) {
            MemorySegment foreign = other.allocate(PAGE, PAGE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator.free(foreign));
            assertTrue(e.getMessage().contains(Long.toHexString(foreign.address())), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> allocator.free(MemorySegment.ofArray(new byte[PAGE])));
    }

    @Test
    void freeOfTheMiddleOrAPartOfARunIsRejected() {
        MemorySegment run = allocator.allocate(4);
        assertThrows(IllegalArgumentException.class, () -> allocator.free(run.asSlice(PAGE, PAGE)), "interior page");
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> allocator.free(run.asSlice(0, PAGE)));
        assertTrue(size.getMessage().contains("4096 bytes"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> allocator.free(run.asSlice(100, PAGE)), "unaligned");
        allocator.free(run);
        assertEquals(PAGES, allocator.freePages());
    }

    @Test
    void regionThatIsNotAPowerOfTwoIsUsedWhole() {
        try (BuddyPageAllocator odd = new BuddyPageAllocator("odd", 13L * PAGE, false)) {
            assertEquals(8, odd.largestRunPages());
            List<MemorySegment> singles = new ArrayList<>();
            for (MemorySegment run = odd.allocate(1); run != null; run = odd.allocate(1)) {
                singles.add(run);
            }
            assertEquals(13, singles.size());
            singles.forEach(odd::free);
            assertEquals(13, odd.freePages());
            assertNotNull(odd.allocate(8));
            assertNotNull(odd.allocate(4));
            assertNotNull(odd.allocate(1));
            assertEquals(0, odd.freePages());
        }
    }

    @Test
    void randomisedAllocateFreeKeepsAccountingAndNeverOverlaps() {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("BuddyPageAllocatorTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<MemorySegment> live = new ArrayList<>();
        long usedInBlocks = 0;
        for (int op = 0; op < 5_000; op++) {
            if (live.isEmpty() || random.nextBoolean()) {
                int pages = 1 + random.nextInt(8);
                MemorySegment run = allocator.allocate(pages);
                if (run != null) {
                    for (MemorySegment other : live) {
                        boolean overlap = run.address() < other.address() + other.byteSize()
                                && other.address() < run.address() + run.byteSize();
                        assertTrue(!overlap, "seed=" + seed + " op=" + op + " overlap");
                    }
                    live.add(run);
                    usedInBlocks += Integer.highestOneBit(pages * 2 - 1);
                }
            } else {
                MemorySegment run = live.remove(random.nextInt(live.size()));
                allocator.free(run);
                usedInBlocks -= Integer.highestOneBit((int) (run.byteSize() / PAGE) * 2 - 1);
            }
            assertEquals(PAGES - usedInBlocks, allocator.freePages(), "seed=" + seed + " op=" + op);
        }
        live.forEach(allocator::free);
        assertNotNull(allocator.allocate(PAGES), "seed=" + seed + ": everything coalesced at the end");
    }

    @Test
    void outstandingListsLiveRunsWithStacksWhenTracking() {
        try (BuddyPageAllocator tracking = new BuddyPageAllocator("tracked", 16L * PAGE, true)) {
            MemorySegment run = tracking.allocate(2);
            List<String> lines = tracking.outstanding();
            assertEquals(1, lines.size());
            String line = lines.get(0);
            assertTrue(line.startsWith("tracked: run of 2 pages of 8192 bytes at 0x" + Long.toHexString(run.address())), line);
            assertTrue(line.contains("outstandingListsLiveRunsWithStacksWhenTracking"), "stack names this test: " + line);
            tracking.free(run);
            assertEquals(List.of(), tracking.outstanding());
        }
        MemorySegment untracked = allocator.allocate(1);
        String line = allocator.outstanding().get(0);
        assertTrue(!line.contains("allocated at"), line);
        allocator.free(untracked);
    }

    @Test
    void badRegionSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BuddyPageAllocator("bad", 5000, false));
        assertTrue(e.getMessage().contains("5000"), e.getMessage());
    }

    @Test
    void closedAllocatorRefusesWork() {
        BuddyPageAllocator closing = new BuddyPageAllocator("closing", 4L * PAGE, false);
        MemorySegment run = closing.allocate(1);
        closing.close();
        closing.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> closing.allocate(1));
        assertThrows(IllegalStateException.class, () -> run.get(ValueLayout.JAVA_BYTE, 0), "memory is gone");
    }
}
