package dev.libos.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The rings' {@code ByteBuffer} copies (what sockets use, without a segment view per call):
 * from and to the buffer's position, across the ring's end, leaving the position to the caller.
 */
class ByteBufferCopyTest {
    @Test
    void sendBufferTakesFromThePositionAcrossTheRingsEnd() {
        for (ByteBuffer source : new ByteBuffer[] {ByteBuffer.allocate(9), ByteBuffer.allocateDirect(9)}) {
            SendBuffer ring = new SendBuffer(8);
            ring.write(MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6}));
            ring.consume(4); // 5 6 queued at the ring's offsets 4 and 5: the next bytes wrap
            source.put(new byte[] {0, 0, 7, 8, 9, 10, 11, 12, 13}).position(2);
            assertEquals(6, ring.write(source), "the room left");
            assertEquals(2, source.position(), "the caller moves the position");
            assertEquals(-1, ring.contiguousStart(0, 8), "the queued bytes wrap around the ring");
            byte[] queued = new byte[8];
            ring.copyOut(0, MemorySegment.ofArray(queued), 8);
            assertArrayEquals(new byte[] {5, 6, 7, 8, 9, 10, 11, 12}, queued);
        }
    }

    @Test
    void receiveBufferGivesToThePositionAcrossTheRingsEnd() {
        for (ByteBuffer target : new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocateDirect(10)}) {
            ReceiveBuffer buffer = new ReceiveBuffer(8, 4);
            MemorySegment data = MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            assertEquals(6, buffer.insert(0, data, 0, 6));
            buffer.read(MemorySegment.ofArray(new byte[4])); // 1-4 read: the next bytes wrap
            assertEquals(6, buffer.insert(0, data, 6, 6)); // ring: 9 10 11 12 5 6 7 8
            target.position(3);
            assertEquals(7, buffer.read(target), "as many as the buffer has room for");
            assertEquals(3, target.position(), "the caller moves the position");
            byte[] got = new byte[7];
            target.get(3, got);
            assertArrayEquals(new byte[] {5, 6, 7, 8, 9, 10, 11}, got);
            assertEquals(1, buffer.available());
        }
    }
}
