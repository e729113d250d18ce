package dev.libos.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.memory.MemoryStats;
import dev.libos.core.testing.MemoryLeakCheck;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelMemoryTest {
    private static final int PAGE = BuddyPageAllocator.PAGE_SIZE;

    @Test
    void statsAccountForPagesAndPools() {
        try (KernelMemory memory = new KernelMemory(256L * PAGE)) { // 1 MiB
            MemoryStats empty = memory.stats();
            assertEquals(new MemoryStats(PAGE, 256, 256, List.of()), empty);

            MemorySegment run = memory.pages().allocate(5); // an 8-page block
            FixedBufferPool rx = memory.newBufferPool("rx", 2048, 8); // 16 KiB: 4 pages
            FixedBufferPool tx = memory.newBufferPool("tx", 100, 10); // 10 x 128 B: 1 page
            MemorySegment r1 = rx.acquire();
            MemorySegment r2 = rx.acquire();
            MemorySegment t1 = tx.acquire();

            MemoryStats stats = memory.stats();
            assertEquals(256 - 8 - 4 - 1, stats.freePages());
            assertEquals(13, stats.usedPages());
            assertEquals(List.of(new MemoryStats.Pool("rx", 2048, 8, 2), new MemoryStats.Pool("tx", 100, 10, 1)),
                    stats.pools());

            rx.release(r1);
            rx.release(r2);
            tx.release(t1);
            tx.close();
            memory.pages().free(run);
            assertEquals(List.of(new MemoryStats.Pool("rx", 2048, 8, 0)), memory.stats().pools());
            assertEquals(256 - 4, memory.stats().freePages());
            rx.close();
            assertEquals(empty, memory.stats());
        }
    }

    @Test
    void outstandingNamesEveryLiveRunAndBufferButNotPoolBackingStores() {
        try (KernelMemory memory = new KernelMemory(64L * PAGE)) {
            MemoryLeakCheck.assertNoLeaks(memory);
            FixedBufferPool pool = memory.newBufferPool("blk", 512, 4);
            MemoryLeakCheck.assertNoLeaks(memory); // a pool alone is not a leak
            MemorySegment run = memory.pages().allocate(2);
            MemorySegment buffer = pool.acquire();
            List<String> outstanding = memory.outstanding();
            assertEquals(List.of(
                    "pages: run of 2 pages of 8192 bytes at 0x" + Long.toHexString(run.address()),
                    "pool blk: buffer of 512 bytes at 0x" + Long.toHexString(buffer.address())), outstanding);
            pool.release(buffer);
            memory.pages().free(run);
            MemoryLeakCheck.assertNoLeaks(memory);
        }
    }

    @Test
    void leakCheckCatchesALeakAndShowsWhereItWasTaken() {
        try (KernelMemory memory = new KernelMemory(64L * PAGE, true)) {
            FixedBufferPool pool = memory.newBufferPool("leaky", 256, 4);
            MemorySegment forgotten = pool.acquire();
            AssertionError failure = assertThrows(AssertionError.class, () -> MemoryLeakCheck.assertNoLeaks(memory));
            String message = failure.getMessage();
            assertTrue(message.startsWith("1 allocation(s) not freed"), message);
            assertTrue(message.contains("pool leaky: buffer of 256 bytes at 0x" + Long.toHexString(forgotten.address())),
                    message);
            assertTrue(message.contains("leakCheckCatchesALeakAndShowsWhereItWasTaken"), "names the acquiring test: " + message);
            pool.release(forgotten);
            MemoryLeakCheck.assertNoLeaks(memory);
        }
    }

    @Test
    void totalBytesMustBeWholePages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KernelMemory(PAGE + 1));
        assertTrue(e.getMessage().contains(String.valueOf(PAGE + 1)), e.getMessage());
    }
}
