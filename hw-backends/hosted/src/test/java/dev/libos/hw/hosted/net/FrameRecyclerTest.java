package dev.libos.hw.hosted.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        byte[] small = new byte[60];
        recycler.give(small);
        byte[] large = recycler.take(65549);
        assertEquals(65549, large.length);
        assertEquals(1, recycler.size(), "the 60-byte buffer stays for a frame of its length");
        assertSame(small, recycler.take(60));
    }

    @Test
    void whenFullNewBuffersReplaceHeldOnesInTurn() {
        FrameRecycler recycler = new FrameRecycler(2);
        recycler.give(new byte[60]);
        recycler.give(new byte[61]);
        byte[] a = new byte[1514];
        byte[] b = new byte[1514];
        recycler.give(a); // replaces the 60-byte buffer
        recycler.give(b); // replaces the 61-byte buffer
        assertEquals(2, recycler.size());
        byte[] first = recycler.take(1514);
        byte[] second = recycler.take(1514);
        assertNotSame(first, second);
        assertEquals(60, recycler.take(60).length); // none held: a new one
        assertEquals(0, recycler.size());
    }

    @Test
    void refusesAnEmptyPool() {
        assertThrows(IllegalArgumentException.class, () -> new FrameRecycler(0));
    }
}
