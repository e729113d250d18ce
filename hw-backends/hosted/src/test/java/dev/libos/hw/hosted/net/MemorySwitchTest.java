package dev.libos.hw.hosted.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.libos.api.time.ManualClock;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class MemorySwitchTest {
    private final ManualClock clock = new ManualClock(0);
    private final MemorySwitch sw = new MemorySwitch("sw", 7, 4, 1500, 64, 1_000_000_000L, 1024, clock,
            LinkFaults.NONE, 1);

    private int[] receivedPerPort() {
        int[] counts = new int[sw.portCount()];
        for (int p = 0; p < counts.length; p++) {
            counts[p] = Frames.drain(sw.port(p)).size();
        }
        return counts;
    }

    @Test
    void floodsUnknownDestinationsThenForwardsOnceLearned() {
        Frames.send(sw.port(0), sw.port(1), 1, 64);
        assertEquals("[0, 1, 1, 1]", java.util.Arrays.toString(receivedPerPort()));
        assertEquals(0, sw.portOf(Frames.mac(sw.port(0)), clock.nanoTime()));
        // Port 1 answers: its destination (port 0) is known, so only port 0 sees it.
        Frames.send(sw.port(1), sw.port(0), 2, 64);
        assertEquals("[1, 0, 0, 0]", java.util.Arrays.toString(receivedPerPort()));
        // Now both are known: unicast 0 -> 1 reaches only port 1.
        Frames.send(sw.port(0), sw.port(1), 3, 64);
        assertEquals("[0, 1, 0, 0]", java.util.Arrays.toString(receivedPerPort()));
        assertEquals(2, sw.framesForwarded());
        assertEquals(1, sw.framesFlooded());
    }

    @Test
    void broadcastReachesEveryOtherPort() {
        byte[] frame = Frames.frame(0xFFFF_FFFF_FFFFL, Frames.mac(sw.port(2)), 1, 64);
        sw.port(2).transmit(MemorySegment.ofArray(frame));
        assertEquals("[1, 1, 0, 1]", java.util.Arrays.toString(receivedPerPort()));
        // A broadcast source is never learned.
        assertEquals(-1, sw.portOf(0xFFFF_FFFF_FFFFL, clock.nanoTime()));
    }

    @Test
    void filtersFramesForAHostOnTheIngressPort() {
        Frames.send(sw.port(0), sw.port(1), 1, 64);
        receivedPerPort();
        // Port 0's MAC is learned on port 0, so a frame from port 0 to that MAC is filtered.
        sw.port(0).transmit(MemorySegment.ofArray(Frames.frame(Frames.mac(sw.port(0)), Frames.mac(sw.port(0)), 2, 64)));
        assertEquals("[0, 0, 0, 0]", java.util.Arrays.toString(receivedPerPort()));
        assertEquals(1, sw.port(0).stats().drops(DropCause.SWITCH_FILTERED));
    }

    @Test
    void learnedEntriesAgeOutAndTheSwitchFloodsAgain() {
        Frames.send(sw.port(1), sw.port(0), 1, 64);
        receivedPerPort();
        assertEquals(1, sw.portOf(Frames.mac(sw.port(1)), clock.nanoTime()));
        clock.advance(999_999_999L);
        assertEquals(1, sw.portOf(Frames.mac(sw.port(1)), clock.nanoTime()));
        clock.advance(1);
        assertEquals(-1, sw.portOf(Frames.mac(sw.port(1)), clock.nanoTime()));
        Frames.send(sw.port(0), sw.port(1), 2, 64);
        assertEquals("[0, 1, 1, 1]", java.util.Arrays.toString(receivedPerPort()));
    }

    @Test
    void aHostMovingToAnotherPortIsRelearned() {
        long movingMac = Frames.mac(sw.port(1));
        Frames.send(sw.port(1), sw.port(0), 1, 64);
        sw.port(3).transmit(MemorySegment.ofArray(Frames.frame(Frames.mac(sw.port(0)), movingMac, 2, 64)));
        receivedPerPort();
        assertEquals(3, sw.portOf(movingMac, clock.nanoTime()));
    }

    @Test
    void aFullTableStopsLearningButStillDelivers() {
        MemorySwitch tiny = new MemorySwitch("tiny", 8, 3, 1500, 64, 1_000_000_000L, 1, clock, LinkFaults.NONE, 1);
        Frames.send(tiny.port(0), tiny.port(1), 1, 64);
        Frames.send(tiny.port(1), tiny.port(0), 2, 64);
        assertEquals(1, tiny.learnRefused());
        assertEquals(1, Frames.drain(tiny.port(0)).size());
        assertEquals(1, Frames.drain(tiny.port(1)).size());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new MemorySwitch("x", 1, 1, clock, LinkFaults.NONE, 1));
        assertThrows(IllegalArgumentException.class, () -> sw.port(4));
    }
}
