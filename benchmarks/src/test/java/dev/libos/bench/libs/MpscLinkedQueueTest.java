package dev.libos.bench.libs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MpscLinkedQueueTest {
    @Test
    void fifoForOneProducer() {
        MpscLinkedQueue<Integer> q = new MpscLinkedQueue<>();
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        for (int i = 0; i < 10; i++) {
            q.offer(i);
        }
        assertEquals(10, q.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> q.offer(null));
    }

    @Test
    @Timeout(30)
    void manyProducersLoseNothingAndKeepEachProducersOrder() throws Exception {
        long seed = System.nanoTime();
        System.out.println("MpscLinkedQueueTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int producers = 4;
        int perProducer = 200_000;
        MpscLinkedQueue<long[]> q = new MpscLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            SplittableRandom mine = random.split();
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.offer(new long[] {producer, i});
                    if (mine.nextInt(1000) == 0) {
                        Thread.yield();
                    }
                }
            }));
        }
        int[] nextExpected = new int[producers];
        int taken = 0;
        while (taken < producers * perProducer) {
            long[] e = q.poll();
            if (e == null) {
                Thread.onSpinWait();
                continue;
            }
            assertEquals(nextExpected[(int) e[0]], e[1], "producer " + e[0] + " out of order (seed " + seed + ")");
            nextExpected[(int) e[0]]++;
            taken++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }
}
