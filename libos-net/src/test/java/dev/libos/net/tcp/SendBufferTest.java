package dev.libos.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SendBufferTest {
    @Test
    void aContiguousRangeIsAViewOfTheRingAndAWrappedOneIsNot() {
        SendBuffer buffer = new SendBuffer(8);
        buffer.write(MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6}));
        buffer.consume(4);
        buffer.write(MemorySegment.ofArray(new byte[] {7, 8, 9, 10})); // ring: 9 10 _ _ 5 6 7 8
        assertArrayEquals(new byte[] {5, 6, 7, 8}, view(buffer, 0, 4));
        assertArrayEquals(new byte[] {9, 10}, view(buffer, 4, 2));
        assertEquals(-1, buffer.contiguousStart(2, 4), "7 8 9 10 wraps");
        assertThrows(IllegalArgumentException.class, () -> buffer.contiguousStart(3, 4));
    }

    /** The bytes at a contiguous range, read from the ring itself; null when the range wraps. */
    private static byte[] view(SendBuffer buffer, int offset, int count) {
        int start = buffer.contiguousStart(offset, count);
        return start < 0 ? null : buffer.ring().asSlice(start, count).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void viewsAndCopiesAgreeWithWhatWasWritten() {
        long seed = System.nanoTime();
        System.out.println("SendBufferTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        SendBuffer buffer = new SendBuffer(1 + random.nextInt(64));
        byte[] model = new byte[0];
        byte next = 0;
        for (int step = 0; step < 2_000; step++) {
            if (random.nextBoolean()) {
                byte[] data = new byte[random.nextInt(buffer.capacity() + 1)];
                for (int i = 0; i < data.length; i++) {
                    data[i] = next++;
                }
                int taken = buffer.write(MemorySegment.ofArray(data));
                byte[] grown = Arrays.copyOf(model, model.length + taken);
                System.arraycopy(data, 0, grown, model.length, taken);
                model = grown;
                next = (byte) (next - (data.length - taken));
            } else {
                int n = random.nextInt(model.length + 1);
                buffer.consume(n);
                model = Arrays.copyOfRange(model, n, model.length);
            }
            assertEquals(model.length, buffer.length(), "seed " + seed);
            int offset = random.nextInt(model.length + 1);
            int count = random.nextInt(model.length - offset + 1);
            byte[] expected = Arrays.copyOfRange(model, offset, offset + count);
            byte[] view = buffer.allocated() ? view(buffer, offset, count) : null;
            byte[] copy = new byte[count];
            if (count > 0) {
                buffer.copyOut(offset, MemorySegment.ofArray(copy), count);
            }
            assertArrayEquals(expected, copy, "seed " + seed);
            if (view != null) {
                assertArrayEquals(expected, view, "seed " + seed);
            }
        }
    }
}
