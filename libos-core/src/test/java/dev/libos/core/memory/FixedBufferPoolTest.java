package dev.libos.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FixedBufferPoolTest {
    private final KernelMemory memory = new KernelMemory(1 << 20, false); // 1 MiB

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void buffersAreCacheLineAlignedOfTheRequestedSizeAndDistinct() {
        FixedBufferPool pool = memory.newBufferPool("rx", 1500, 8);
        assertEquals(1536, FixedBufferPool.strideFor(1500));
        Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            MemorySegment buffer = pool.acquire();
            assertEquals(1500, buffer.byteSize());
            assertEquals(0, buffer.address() % FixedBufferPool.CACHE_LINE);
            assertTrue(addresses.add(buffer.address()));
        }
        assertEquals(0, pool.available());
    }

    @Test
    void exhaustionReturnsNullAndReleaseMakesRoom() {
        FixedBufferPool pool = memory.newBufferPool("small", 100, 3);
        MemorySegment a = pool.acquire();
        MemorySegment b = pool.acquire();
        MemorySegment c = pool.acquire();
        assertNotNull(c);
        assertNull(pool.acquire(), "empty pool is back-pressure, not an exception");
        pool.release(b);
        assertEquals(1, pool.available());
        MemorySegment again = pool.acquire();
        assertEquals(b.address(), again.address(), "the released buffer is reused");
        pool.release(a);
        pool.release(again);
        pool.release(c);
        assertEquals(3, pool.available());
    }

    @Test
    void doubleReleaseIsRejectedNamingPoolAndAddress() {
        FixedBufferPool pool = memory.newBufferPool("dbl", 256, 2);
        MemorySegment buffer = pool.acquire();
        pool.release(buffer);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(buffer));
        assertTrue(e.getMessage().contains("dbl"), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toHexString(buffer.address())), e.getMessage());
        assertTrue(e.getMessage().contains("double release"), e.getMessage());
        assertEquals(2, pool.available(), "the bad release changed nothing");
        // And the buffer is not on the free stack twice: two acquires give two buffers.
        assertNotEquals(pool.acquire().address(), pool.acquire().address());
        assertNull(pool.acquire());
    }

    @Test
    void foreignReleaseIsRejected() {
        FixedBufferPool pool = memory.newBufferPool("mine", 256, 4);
        FixedBufferPool other = memory.newBufferPool("theirs", 256, 4);
        MemorySegment theirs = other.acquire();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(theirs));
        assertTrue(e.getMessage().contains("mine") && e.getMessage().contains(Long.toHexString(theirs.address())),
                e.getMessage());
        MemorySegment mine = pool.acquire();
        assertThrows(IllegalArgumentException.class, () -> pool.release(mine.asSlice(64, 128)), "inside a buffer");
        assertThrows(IllegalArgumentException.class, () -> pool.release(mine.asSlice(0, 128)), "wrong size");
        assertThrows(IllegalArgumentException.class, () -> pool.release(MemorySegment.ofArray(new byte[256])), "heap");
        MemorySegment page = memory.pages().allocate(1);
        assertThrows(IllegalArgumentException.class, () -> pool.release(page.asSlice(0, 256)), "a page run");
        memory.pages().free(page);
        pool.release(mine);
        other.release(theirs);
    }

    @Test
    void closeGivesPagesBackAndRefusesWhileBuffersAreOut() {
        long freeBefore = memory.pages().freePages();
        FixedBufferPool pool = memory.newBufferPool("closing", 4096, 4); // exactly 4 pages
        assertEquals(freeBefore - 4, memory.pages().freePages());
        MemorySegment a = pool.acquire();
        MemorySegment b = pool.acquire();
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::close);
        assertTrue(e.getMessage().contains("closing") && e.getMessage().contains("2 buffers"), e.getMessage());
        assertEquals(2, pool.available(), "the failed close put the free buffers back");
        MemorySegment c = pool.acquire();
        assertNotNull(c, "still usable");
        pool.release(a);
        pool.release(b);
        pool.release(c);
        pool.close();
        assertEquals(freeBefore, memory.pages().freePages(), "its pages are back");
    }

    @Test
    void closedPoolReturnsItsPagesAndRefusesAcquire() {
        long freeBefore = memory.pages().freePages();
        FixedBufferPool pool = memory.newBufferPool("gone", 2048, 4);
        MemorySegment buffer = pool.acquire();
        pool.release(buffer);
        pool.close();
        pool.close(); // idempotent
        assertTrue(pool.isClosed());
        assertEquals(freeBefore, memory.pages().freePages());
        assertNull(memory.pool("gone"));
        assertThrows(IllegalStateException.class, pool::acquire);
        assertSame(memory.newBufferPool("gone", 64, 1), memory.pool("gone"), "the name is free again");
    }

    @Test
    void backingRunCannotBeFreedThroughThePageAllocator() {
        FixedBufferPool pool = memory.newBufferPool("one-page", 4096, 1);
        MemorySegment buffer = pool.acquire(); // same address and size as the backing run
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> memory.pages().free(buffer));
        assertTrue(e.getMessage().contains("one-page"), e.getMessage());
        pool.release(buffer);
    }

    @Test
    void leakTrackingRecordsTheAcquiringStack() {
        try (KernelMemory tracking = new KernelMemory(1 << 16, true)) {
            FixedBufferPool pool = tracking.newBufferPool("tracked", 128, 2);
            MemorySegment buffer = pool.acquire();
            List<String> lines = pool.outstanding();
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).startsWith("pool tracked: buffer of 128 bytes at 0x" + Long.toHexString(buffer.address())),
                    lines.get(0));
            assertTrue(lines.get(0).contains("leakTrackingRecordsTheAcquiringStack"), lines.get(0));
            pool.release(buffer);
            assertEquals(List.of(), pool.outstanding());
        }
    }

    @Test
    void invalidPoolsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> memory.newBufferPool("zero", 0, 4));
        assertThrows(IllegalArgumentException.class, () -> memory.newBufferPool("none", 64, 0));
        assertThrows(IllegalArgumentException.class, () -> memory.newBufferPool(" ", 64, 1));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> memory.newBufferPool("huge", (1 << 20) + 1, 1));
        assertTrue(huge.getMessage().contains("huge"), huge.getMessage());
        assertThrows(OutOfMemoryError.class, () -> memory.newBufferPool("toomany", 4096, 257));
        memory.newBufferPool("dup", 64, 1);
        assertThrows(IllegalArgumentException.class, () -> memory.newBufferPool("dup", 64, 1));
        List<MemorySegment> runs = new ArrayList<>();
        for (MemorySegment run = memory.pages().allocate(16); run != null; run = memory.pages().allocate(16)) {
            runs.add(run);
        }
        assertThrows(OutOfMemoryError.class, () -> memory.newBufferPool("late", 4096, 16));
        assertNull(memory.pool("late"), "a failed pool is not registered");
        runs.forEach(memory.pages()::free);
    }
}
