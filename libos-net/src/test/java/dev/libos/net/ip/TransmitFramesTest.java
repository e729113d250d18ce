package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class TransmitFramesTest {
    private final TransmitFrames frames = new TransmitFrames();

    @Test
    void aFrameOfTheSameLengthReusesTheBufferAndItsSlices() {
        MemorySegment first = frames.acquire(100, false);
        MemorySegment payload = frames.payloadOf(first, 34);
        assertEquals(66, payload.byteSize());
        frames.release(first);
        MemorySegment second = frames.acquire(100, false);
        assertSame(first, second);
        assertSame(payload, frames.payloadOf(second, 34));
        frames.release(second);
        MemorySegment shorter = frames.acquire(60, false);
        assertEquals(60, shorter.byteSize());
        assertEquals(26, frames.payloadOf(shorter, 34).byteSize());
        frames.release(shorter);
    }

    @Test
    void aSendWhileTheBufferIsInUseGetsItsOwnFrame() {
        MemorySegment outer = frames.acquire(80, false);
        outer.fill((byte) 7);
        MemorySegment inner = frames.acquire(80, false);
        assertNotSame(outer, inner);
        inner.fill((byte) 9);
        frames.release(inner);
        assertEquals(7, outer.get(ValueLayout.JAVA_BYTE, 79), "the frame in flight is untouched");
        frames.release(outer);
        assertSame(outer, frames.acquire(80, false), "free again once the outer send released it");
    }

    @Test
    void zeroedFramesHoldNothingOfTheLastOne() {
        MemorySegment frame = frames.acquire(200, false);
        frame.fill((byte) 0x5A);
        frames.release(frame);
        MemorySegment again = frames.acquire(120, true);
        for (long i = 0; i < again.byteSize(); i++) {
            assertEquals(0, again.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
        frames.release(again);
    }
}
