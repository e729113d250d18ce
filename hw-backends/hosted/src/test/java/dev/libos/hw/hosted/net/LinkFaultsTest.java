package dev.libos.hw.hosted.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.time.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkFaultsTest {
    private static final int FRAMES = 10_000;
    private final ManualClock clock = new ManualClock(0);

    private static long seed(String name) {
        String property = System.getProperty("libos.net.test.seed");
        long seed = property != null ? Long.parseLong(property) : System.nanoTime();
        System.out.println(name + ": seed " + seed + " (re-run with -Dlibos.net.test.seed=" + seed + ")");
        return seed;
    }

    private MemoryLink link(LinkFaults faults, long seed) {
        return new MemoryLink("faulty", 0x02_0000_0002_01L, 0x02_0000_0002_02L, 1500, 1 << 16, clock, faults,
                LinkFaults.NONE, seed);
    }

    private List<byte[]> sendAll(MemoryLink link, int count, int length) {
        for (int i = 0; i < count; i++) {
            assertTrue(Frames.send(link.a(), link.b(), i, length));
        }
        clock.advance(1_000_000_000L);
        return Frames.drain(link.b());
    }

    @Test
    void lossDropsAboutTheConfiguredShareAndCountsEveryDrop() {
        MemoryLink link = link(LinkFaults.NONE.withLoss(0.3), seed("loss"));
        List<byte[]> got = sendAll(link, FRAMES, 100);
        DeviceStats stats = link.a().stats();
        assertEquals(FRAMES, stats.framesOut());
        assertEquals(FRAMES, got.size() + stats.drops(DropCause.INJECTED_LOSS));
        assertTrue(got.size() > FRAMES * 0.65 && got.size() < FRAMES * 0.75, "delivered " + got.size());
        assertEquals(got.size(), link.b().stats().framesIn());
    }

    @Test
    void duplicationDeliversCountedExtraCopies() {
        MemoryLink link = link(LinkFaults.NONE.withDuplication(0.2), seed("duplication"));
        List<byte[]> got = sendAll(link, FRAMES, 100);
        long duplicated = link.a().stats().framesDuplicated();
        assertEquals(FRAMES + duplicated, got.size());
        assertTrue(duplicated > FRAMES * 0.15 && duplicated < FRAMES * 0.25, "duplicated " + duplicated);
    }

    @Test
    void corruptionFlipsBitsInCountedFrames() {
        MemoryLink link = link(LinkFaults.NONE.withCorruption(0.1), seed("corruption"));
        List<byte[]> got = sendAll(link, FRAMES, 100);
        assertEquals(FRAMES, got.size());
        int changed = 0;
        for (byte[] frame : got) {
            // Corruption may hit the sequence number itself, so compare with every plausible original.
            boolean intact = false;
            int seq = Frames.sequence(frame);
            if (seq >= 0 && seq < FRAMES) {
                intact = Arrays.equals(frame, Frames.frame(Frames.mac(link.b()), Frames.mac(link.a()), seq, 100));
            }
            if (!intact) {
                changed++;
            }
        }
        long corrupted = link.a().stats().framesCorrupted();
        assertTrue(changed <= corrupted && changed >= corrupted * 0.9, changed + " changed, " + corrupted + " corrupted");
        assertTrue(corrupted > FRAMES * 0.07 && corrupted < FRAMES * 0.13, "corrupted " + corrupted);
    }

    @Test
    void reorderingLetsLaterFramesOvertakeHeldOnes() {
        MemoryLink link = link(LinkFaults.NONE.withDelay(1000, 0).withReordering(0.1, 50_000), seed("reorder"));
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(Frames.send(link.a(), link.b(), i, 64));
            clock.advance(10_000);
            got.addAll(Frames.drain(link.b()));
        }
        clock.advance(1_000_000);
        got.addAll(Frames.drain(link.b()));
        assertEquals(1000, got.size());
        int inversions = 0;
        for (int i = 1; i < got.size(); i++) {
            if (Frames.sequence(got.get(i)) < Frames.sequence(got.get(i - 1))) {
                inversions++;
            }
        }
        long reordered = link.a().stats().framesReordered();
        assertTrue(reordered > 50, "reordered " + reordered);
        assertTrue(inversions > 0 && inversions <= reordered, inversions + " inversions, " + reordered + " reordered");
    }

    @Test
    void delayHoldsFramesUntilTheirTimeAndJitterStaysInBounds() {
        MemoryLink link = link(LinkFaults.NONE.withDelay(100_000, 20_000), seed("delay"));
        for (int i = 0; i < 100; i++) {
            assertTrue(Frames.send(link.a(), link.b(), i, 64));
        }
        clock.advance(99_999);
        assertEquals(0, Frames.drain(link.b()).size());
        assertTrue(link.b().nextDeliveryNanos() >= 100_000);
        clock.advance(20_001);
        assertEquals(100, Frames.drain(link.b()).size());
    }

    @Test
    void bandwidthSerialisesFramesBackToBack() {
        // 1 Mbit/s: a 1250-byte frame is 10,000 bits, 10 ms on the wire.
        MemoryLink link = link(LinkFaults.NONE.withBandwidth(1_000_000), 1);
        for (int i = 0; i < 10; i++) {
            assertTrue(Frames.send(link.a(), link.b(), i, 1250));
        }
        clock.advance(10_000_000 - 1);
        assertEquals(0, Frames.drain(link.b()).size());
        clock.advance(1);
        assertEquals(1, Frames.drain(link.b()).size());
        clock.advance(85_000_000);
        assertEquals(8, Frames.drain(link.b()).size());
        clock.advance(5_000_000);
        assertEquals(1, Frames.drain(link.b()).size());
    }

    @Test
    void aFullReceiveQueueRefusesTheTransmit() {
        MemoryLink link = new MemoryLink("small", 0x02_0000_0003_01L, 0x02_0000_0003_02L, 1500, 4, clock, LinkFaults.NONE, LinkFaults.NONE, 1);
        for (int i = 0; i < 4; i++) {
            assertTrue(Frames.send(link.a(), link.b(), i, 64));
        }
        assertFalse(Frames.send(link.a(), link.b(), 4, 64));
        assertEquals(1, link.a().stats().drops(DropCause.QUEUE_FULL));
        assertEquals(4, link.a().stats().framesOut());
        assertEquals(4, Frames.drain(link.b()).size());
        assertTrue(Frames.send(link.a(), link.b(), 5, 64));
    }

    @Test
    void aDownLinkDropsAndCounts() {
        MemoryLink link = link(LinkFaults.NONE, 1);
        link.setUp(false);
        assertFalse(link.a().linkUp());
        assertTrue(Frames.send(link.a(), link.b(), 1, 64));
        assertEquals(1, link.a().stats().drops(DropCause.LINK_DOWN));
        assertEquals(0, Frames.drain(link.b()).size());
        link.setUp(true);
        assertTrue(Frames.send(link.a(), link.b(), 2, 64));
        assertEquals(1, Frames.drain(link.b()).size());
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        LinkFaults faults = new LinkFaults(0.1, 0.1, 0.1, 0.1, 1000, 5000, 20_000, 0);
        long seed = seed("determinism");
        List<byte[]> first = sendAll(link(faults, seed), 2000, 80);
        List<byte[]> second = sendAll(link(faults, seed), 2000, 80);
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertTrue(Arrays.equals(first.get(i), second.get(i)), "frame " + i);
        }
    }

    @Test
    void invalidSettingsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinkFaults.NONE.withLoss(1.5));
        assertTrue(e.getMessage().contains("lossProbability"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinkFaults.NONE.withDelay(-1, 0));
        assertTrue(e.getMessage().contains("delayNanos"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinkFaults.NONE.withLoss(Double.NaN));
        assertTrue(e.getMessage().contains("lossProbability"), e.getMessage());
    }
}
