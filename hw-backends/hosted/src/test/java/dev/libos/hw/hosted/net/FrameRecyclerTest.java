package dev.libos.hw.hosted.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameRecyclerTest {
    @Test
    void takesBackABufferOfTheSameLength() {
        FrameRecycler recycler = new FrameRecycler(4);
        byte[] delivered = recycler.take(1514);
        recycler.give(delivered);
        assertEquals(1, recycler.size());
        assertSame(delivered, recycler.take(1514));
        assertEquals(0, recycler.size());
    }

    @Test
    void allocatesWhenNoBufferOfThatLengthIsFree() {
        FrameRecycler recycler = new FrameRecycler(4);
        byte[] mtuFrame = new byte[1514];
        recycler.give(mtuFrame);
        byte[] large = recycler.take(65549);
        assertEquals(65549, large.length);
        assertEquals(1, recycler.size(), "the 1514-byte buffer stays for a frame of its length");
        assertSame(mtuFrame, recycler.take(1514));
    }

    @Test
    void keepsNoSmallFrames() {
        FrameRecycler recycler = new FrameRecycler(4);
        recycler.give(new byte[FrameRecycler.MIN_RECYCLED_BYTES - 1]);
        assertEquals(0, recycler.size());
        byte[] smallest = new byte[FrameRecycler.MIN_RECYCLED_BYTES];
        recycler.give(smallest);
        assertSame(smallest, recycler.take(FrameRecycler.MIN_RECYCLED_BYTES));
    }

    @Test
    void whenFullNewBuffersReplaceHeldOnesInTurn() {
        // Odd lengths fill the pool; the full-size buffers given back after them must still be
        // kept (a pool that kept one per length lost most of them: page faults again).
        FrameRecycler recycler = new FrameRecycler(2);
        byte[] odd1 = new byte[300];
        byte[] odd2 = new byte[301];
        recycler.give(odd1);
        recycler.give(odd2);
        byte[] a = new byte[1514];
        byte[] b = new byte[1514];
        recycler.give(a); // replaces odd1
        recycler.give(b); // replaces odd2
        assertEquals(2, recycler.size());
        java.util.Set<byte[]> taken = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        taken.add(recycler.take(1514));
        taken.add(recycler.take(1514));
        assertEquals(java.util.Set.of(a, b).size(), taken.size());
        assertTrue(taken.contains(a) && taken.contains(b));
        assertNotSame(odd1, recycler.take(300), "odd1 gave way: a new buffer");
    }

    @Test
    void eachBufferIsTakenOnceFromManyThreads() throws Exception {
        // Two threads take and give back concurrently; no buffer may be handed out twice.
        FrameRecycler recycler = new FrameRecycler(8);
        java.util.Set<byte[]> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
        Runnable taker = () -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] buffer = recycler.take(1514);
                synchronized (out) {
                    if (!out.add(buffer)) {
                        duplicates.incrementAndGet();
                    }
                }
                synchronized (out) {
                    out.remove(buffer);
                }
                recycler.give(buffer);
            }
        };
        Thread t1 = new Thread(taker);
        Thread t2 = new Thread(taker);
        t1.start();
        t2.start();
        t1.join(30_000);
        t2.join(30_000);
        assertEquals(0, duplicates.get());
    }

    @Test
    void refusesAnEmptyPool() {
        assertThrows(IllegalArgumentException.class, () -> new FrameRecycler(0));
    }
}
