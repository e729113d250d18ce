package dev.libos.hw.hosted.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.NetDevice;
import dev.libos.api.time.ManualClock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MemoryLink#offloadChecksums()}: frames with a partial checksum reach the peer marked as verified. */
class MemoryLinkChecksumOffloadTest {
    /** Where the test frames' "transport header" starts, and its checksum field in it (as TCP's). */
    private static final int CHECKSUM_START = 34;
    private static final int CHECKSUM_OFFSET = 16;

    private record Received(byte[] frame, boolean verified) {
    }

    private final ManualClock clock = new ManualClock(0);

    @Test
    void offloadingLinkDeliversThePartialSumMarkedVerified() {
        MemoryLink link = new MemoryLink("link", 1, clock, LinkFaults.NONE, 1).offloadChecksums();
        assertTrue(link.a().transmitChecksumOffload());
        assertTrue(link.b().transmitChecksumOffload());
        byte[] frame = Frames.frame(Frames.mac(link.b()), Frames.mac(link.a()), 5, 200);
        assertTrue(link.a().transmit(MemorySegment.ofArray(frame), CHECKSUM_START, CHECKSUM_OFFSET));
        List<Received> got = drain(link.b());
        assertEquals(1, got.size());
        assertArrayEquals(frame, got.get(0).frame(), "the frame as sent: the device leaves the partial sum");
        assertTrue(got.get(0).verified());
    }

    @Test
    void aPlainTransmitIsNeverMarkedVerified() {
        // A frame sent without a checksum position (ARP, ICMP, a fragment, or a test's forged
        // frame) carries its own checksum, which the receiver must check.
        MemoryLink link = new MemoryLink("link", 1, clock, LinkFaults.NONE, 1).offloadChecksums();
        byte[] frame = Frames.frame(Frames.mac(link.b()), Frames.mac(link.a()), 6, 200);
        assertTrue(link.a().transmit(MemorySegment.ofArray(frame)));
        List<Received> got = drain(link.b());
        assertFalse(got.get(0).verified());
    }

    @Test
    void withoutOffloadTheChecksumIsCompletedInSoftwareAndNotMarked() {
        MemoryLink link = new MemoryLink("link", 1, clock, LinkFaults.NONE, 1);
        assertFalse(link.a().transmitChecksumOffload());
        byte[] frame = Frames.frame(Frames.mac(link.b()), Frames.mac(link.a()), 7, 200);
        assertTrue(link.a().transmit(MemorySegment.ofArray(frame), CHECKSUM_START, CHECKSUM_OFFSET));
        Received got = drain(link.b()).get(0);
        assertFalse(got.verified());
        int field = CHECKSUM_START + CHECKSUM_OFFSET;
        assertNotEquals(frame[field] << 8 | frame[field + 1], got.frame()[field] << 8 | got.frame()[field + 1],
                "the field now holds the completed checksum");
        assertArrayEquals(java.util.Arrays.copyOf(frame, field), java.util.Arrays.copyOf(got.frame(), field));
    }

    @Test
    void refusesALinkThatCorruptsFrames() {
        LinkFaults corrupting = new LinkFaults(0, 0, 0, 0.01, 0, 0, 0, 0);
        MemoryLink link = new MemoryLink("link", 0x02_00_00_01_00_01L, 0x02_00_00_01_00_02L, 1500, 16, clock,
                LinkFaults.NONE, corrupting, 1);
        assertThrows(IllegalArgumentException.class, link::offloadChecksums);
        assertFalse(link.a().transmitChecksumOffload());
    }

    @Test
    void refusesAChecksumFieldOutsideTheFrame() {
        MemoryLink link = new MemoryLink("link", 1, clock, LinkFaults.NONE, 1).offloadChecksums();
        MemorySegment frame = MemorySegment.ofArray(Frames.frame(Frames.mac(link.b()), Frames.mac(link.a()), 8, 40));
        assertThrows(IllegalArgumentException.class, () -> link.a().transmit(frame, CHECKSUM_START, CHECKSUM_OFFSET));
        assertThrows(IllegalArgumentException.class, () -> link.a().transmit(frame, -1, 0));
    }

    private static List<Received> drain(NetDevice device) {
        List<Received> out = new ArrayList<>();
        NetDevice.FrameSink sink = new NetDevice.FrameSink() {
            @Override
            public void onFrame(MemorySegment frame) {
                out.add(new Received(frame.toArray(ValueLayout.JAVA_BYTE), false));
            }

            @Override
            public void onFrame(MemorySegment frame, boolean transportChecksumVerified) {
                out.add(new Received(frame.toArray(ValueLayout.JAVA_BYTE), transportChecksumVerified));
            }
        };
        while (device.receive(sink, 64) > 0) {
            // until nothing is due
        }
        return out;
    }
}
