package dev.libos.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the scheduler relies on from the JCTools queue {@link MpscQueues} hands out. */
class MpscQueuesTest {
    @Test
    void fifoForOneProducerAcrossChunks() {
        MpscUnboundedVarHandleArrayQueue<Integer> q = MpscQueues.unbounded();
        assertTrue(q.isEmpty());
        assertNull(q.relaxedPoll());
        int count = 3 * MpscQueues.CHUNK + 5;
        for (int i = 0; i < count; i++) {
            q.offer(i);
        }
        assertFalse(q.isEmpty());
        assertEquals(count, q.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i, q.relaxedPoll());
        }
        assertNull(q.relaxedPoll());
        assertTrue(q.isEmpty());
    }

    @Test
    @Timeout(60)
    void manyProducersLoseNothingAndKeepEachProducersOrder() throws Exception {
        long seed = System.nanoTime();
        System.out.println("MpscQueuesTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int producers = 4;
        int perProducer = 200_000;
        MpscUnboundedVarHandleArrayQueue<long[]> q = MpscQueues.unbounded();
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
            long[] e = q.relaxedPoll();
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
        assertNull(q.relaxedPoll());
        assertTrue(q.isEmpty());
    }
}
