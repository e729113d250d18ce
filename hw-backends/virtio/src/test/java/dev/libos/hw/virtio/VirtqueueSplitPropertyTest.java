package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random sequences of add / publish / device pop / device complete (in any order) / drain keep
 * the ring consistent: every chain comes back exactly once with the length the device wrote,
 * descriptors are conserved, and no device error is counted. Rerun a seed with
 * {@code -Dvirtio.seed=N}.
 */
class VirtqueueSplitPropertyTest {
    private static long seed() {
        String s = System.getProperty("virtio.seed");
        long seed = s != null ? Long.parseLong(s) : System.nanoTime();
        System.out.println("VirtqueueSplitPropertyTest seed=" + seed + " (rerun with -Dvirtio.seed=" + seed + ")");
        return seed;
    }

    @Test
    @Timeout(60)
    void randomOperationSequencesKeepTheRingConsistent() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20; round++) {
            int queueSize = 1 << random.nextInt(0, 6);
            boolean eventIndex = random.nextBoolean();
            runRound(random, queueSize, eventIndex, 5_000, "seed=" + seed + " round=" + round);
        }
    }

    @Test
    @Timeout(60)
    void indicesWrapPast16Bits() {
        long seed = seed();
        runRound(new SplittableRandom(seed), 4, true, 1_000_000, "seed=" + seed);
    }

    private static void runRound(SplittableRandom random, int queueSize, boolean eventIndex, int steps, String where) {
        try (var f = new VirtqueueFixture(queueSize, eventIndex)) {
            MemorySegment buf = f.buffer(64);
            Map<Integer, Integer> chainLengthByToken = new HashMap<>();
            Map<Integer, Integer> expectedLength = new HashMap<>();
            List<VirtqueueDeviceModel.Chain> popped = new ArrayList<>();
            Map<Integer, Integer> tokenByHead = new HashMap<>();
            int nextToken = 0;
            int published = 0;
            int added = 0;
            int poppedTotal = 0;
            long completedByDevice = 0;
            long[] delivered = {0};
            for (int step = 0; step < steps; step++) {
                int op = random.nextInt(5);
                if (op == 0) {
                    int count = random.nextInt(1, Math.min(3, queueSize) + 1);
                    int readable = random.nextInt(count + 1);
                    MemorySegment[] chain = new MemorySegment[count];
                    for (int i = 0; i < count; i++) {
                        chain[i] = buf.asSlice(0, random.nextInt(1, 65));
                    }
                    int token = nextToken;
                    int free = f.driver.freeDescriptors();
                    int head = f.driver.add(chain, readable, count - readable, token);
                    if (count > free) {
                        assertEquals(VirtqueueSplit.NO_SPACE, head, where);
                    } else {
                        assertTrue(head >= 0 && head < queueSize, where);
                        assertNull(tokenByHead.put(head, token), where + " head reused while in flight");
                        chainLengthByToken.put(token, count);
                        nextToken++;
                        added++;
                    }
                } else if (op == 1) {
                    f.driver.publish();
                    published = added;
                } else if (op == 2) {
                    var chain = f.device.pop();
                    if (chain != null) {
                        popped.add(chain);
                        poppedTotal++;
                    }
                } else if (op == 3 && !popped.isEmpty()) {
                    var chain = popped.remove(random.nextInt(popped.size()));
                    int length = (int) random.nextLong(chain.writableBytes() + 1);
                    expectedLength.put(tokenByHead.get(chain.head()), length);
                    f.device.complete(chain, length);
                    completedByDevice++;
                } else if (op == 4) {
                    f.driver.drain((token, length) -> {
                        int t = (Integer) token;
                        Integer expected = expectedLength.remove(t);
                        assertNotNull(expected, where + " token " + t + " delivered but not completed");
                        assertEquals(expected, length, where);
                        assertNotNull(chainLengthByToken.remove(t), where);
                        tokenByHead.values().remove(t);
                        delivered[0]++;
                    }, random.nextInt(1, 2 * queueSize + 1));
                }
                int inFlight = chainLengthByToken.values().stream().mapToInt(Integer::intValue).sum();
                assertEquals(queueSize, f.driver.freeDescriptors() + inFlight, where + " descriptors conserved at step " + step);
                assertEquals(published - poppedTotal, f.device.available(), where + " published chains visible to the device at step " + step);
            }
            assertEquals(0, f.driver.counters().deviceErrors(), where + " " + f.driver.counters());
            assertFalse(f.driver.isBroken(), where);
            assertTrue(completedByDevice > (steps >= 1_000_000 ? 65_536 : 0), where + " completions " + completedByDevice);
            assertEquals(completedByDevice, f.driver.counters().buffersCompleted() + expectedLength.size(), where);
            assertEquals(delivered[0], f.driver.counters().buffersCompleted(), where);
        }
    }

    /**
     * A device that misbehaves at random (out-of-range ids, lengths beyond the chain, completing
     * chains twice, rarely a used-index jump) never makes the driver throw, never hands out a
     * token that is not in flight, and every detectable error is counted exactly.
     */
    @Test
    @Timeout(60)
    void randomMisbehaviourIsCountedAndNeverThrown() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++) {
            String where = "seed=" + seed + " round=" + round;
            int queueSize = 1 << random.nextInt(1, 6);
            try (var f = new VirtqueueFixture(queueSize, random.nextBoolean())) {
                MemorySegment buf = f.buffer(64);
                Map<Integer, Integer> inFlight = new HashMap<>(); // token -> descriptors
                Map<Integer, Integer> tokenByHead = new HashMap<>();
                List<VirtqueueDeviceModel.Chain> popped = new ArrayList<>();
                List<VirtqueueDeviceModel.Chain> completed = new ArrayList<>();
                int nextToken = 0;
                long outOfRange = 0;
                long badLength = 0;
                long duplicates = 0;
                // Some rounds without duplicates (exact bad-length count) and most without a jump.
                boolean injectDuplicates = random.nextBoolean();
                boolean injectJump = random.nextInt(4) == 0;
                boolean jumped = false;
                for (int step = 0; step < 2_000 && !jumped; step++) {
                    VirtqueueCounters counts = f.driver.counters();
                    long consumed = counts.buffersCompleted() + counts.droppedIdOutOfRange() + counts.droppedIdNotInFlight();
                    // A device cannot have more than queueSize used elements outstanding without
                    // overwriting its own ring: extra elements are injected only below that bound
                    // (exceeding it is the used-index jump case, injected separately).
                    boolean roomForExtra = ((f.device.usedIndex() - consumed) & 0xFFFF) < queueSize;
                    int op = random.nextInt(100);
                    if (op < 25) {
                        int count = random.nextInt(1, Math.min(3, queueSize) + 1);
                        MemorySegment[] chain = new MemorySegment[count];
                        Arrays.fill(chain, buf.asSlice(0, random.nextInt(1, 65)));
                        int head = f.driver.add(chain, 0, count, nextToken);
                        if (head >= 0) {
                            inFlight.put(nextToken, count);
                            tokenByHead.put(head, nextToken);
                            nextToken++;
                        }
                    } else if (op < 40) {
                        f.driver.publish();
                    } else if (op < 55) {
                        var chain = f.device.pop();
                        if (chain != null) {
                            popped.add(chain);
                        }
                    } else if (op < 70 && !popped.isEmpty() && roomForExtra) {
                        var chain = popped.remove(random.nextInt(popped.size()));
                        f.device.complete(chain, (int) random.nextLong(chain.writableBytes() + 1));
                        completed.add(chain);
                    } else if (op < 75 && !popped.isEmpty() && roomForExtra) {
                        var chain = popped.remove(random.nextInt(popped.size()));
                        f.device.complete(chain, (int) chain.writableBytes() + 1 + random.nextInt(1000));
                        badLength++;
                    } else if (op < 80 && roomForExtra) {
                        f.device.completeRaw(queueSize + random.nextInt(1 << 20), 1);
                        outOfRange++;
                    } else if (op < 84 && injectDuplicates && !completed.isEmpty() && roomForExtra) {
                        // a duplicate: the id may have been re-used by then, so it is either
                        // dropped as not in flight or delivered for the chain now holding that id
                        f.device.complete(completed.get(random.nextInt(completed.size())), 0);
                        duplicates++;
                    } else if (op == 84 && injectJump && random.nextInt(20) == 0) {
                        f.device.jumpUsedIndex(queueSize + 1 + random.nextInt(1000));
                        jumped = true;
                    } else {
                        f.driver.drain((token, length) -> {
                            int t = (Integer) token;
                            assertNotNull(inFlight.remove(t), where + " token " + t + " not in flight");
                            tokenByHead.values().remove(t);
                        }, random.nextInt(1, 2 * queueSize + 1));
                    }
                    int descriptors = inFlight.values().stream().mapToInt(Integer::intValue).sum();
                    assertEquals(queueSize, f.driver.freeDescriptors() + descriptors, where + " step " + step);
                }
                // Deliver whatever is left, then check the exact counts.
                f.driver.drain((token, length) -> assertNotNull(inFlight.remove((Integer) token), where), Integer.MAX_VALUE);
                VirtqueueCounters c = f.driver.counters();
                assertEquals(jumped, f.driver.isBroken(), where);
                if (!jumped) {
                    assertEquals(outOfRange, c.droppedIdOutOfRange(), where + " " + c);
                    // A duplicate can complete a re-used id early, and the chain's own completion
                    // then lands on whatever chain holds the id next (judged against that chain's
                    // length): only without duplicates is the bad-length count exact.
                    if (duplicates == 0) {
                        assertEquals(badLength, c.badLength(), where + " " + c);
                    }
                }
            }
        }
    }
}
