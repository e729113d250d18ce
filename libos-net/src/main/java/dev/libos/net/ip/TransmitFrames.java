package dev.libos.net.ip;

import java.lang.foreign.MemorySegment;

/**
 * The frame buffer a stack builds its outgoing frames in, reused from one frame to the next: a
 * device copies a frame (into its ring, DMA memory or queue) before {@code transmit} returns
 * ({@code NetDevice.transmit}), and an ARP cache that must hold a frame until resolution keeps a
 * copy, so one buffer serves every send of the owner thread and a steady send path allocates
 * nothing. A heap buffer: the devices copy it anyway and the checksum code reads heap and native
 * segments alike. A send started while the buffer is in use (a transmit that sends again before
 * returning) gets a fresh array instead of corrupting the frame in flight.
 */
final class TransmitFrames {
    private byte[] buffer = new byte[0];
    private MemorySegment whole = MemorySegment.ofArray(buffer);
    /** The last slice handed out, kept for the next frame of the same length (most of a steady flow). */
    private MemorySegment last = whole;
    private boolean inUse;
    /** The part of {@link #last} after its headers, kept with it. */
    private MemorySegment lastPayload;
    private int lastPayloadOffset = -1;

    /**
     * A frame of {@code length} bytes, valid until {@link #release}. With {@code zeroed} it holds
     * zeros; without, whatever the last frame left, for a writer that writes every byte.
     */
    MemorySegment acquire(int length, boolean zeroed) {
        if (inUse) {
            return MemorySegment.ofArray(new byte[length]);
        }
        inUse = true;
        if (length > buffer.length) {
            buffer = new byte[Math.max(length, Math.min(2 * buffer.length, 65_536 + 64))];
            whole = MemorySegment.ofArray(buffer);
            last = whole.asSlice(0, length);
            lastPayload = null;
        } else if (last.byteSize() != length) {
            last = whole.asSlice(0, length);
            lastPayload = null;
        }
        if (zeroed) {
            last.fill((byte) 0);
        }
        return last;
    }

    /** The bytes of {@code frame} from {@code offset} to its end (kept for the next frame of its length). */
    MemorySegment payloadOf(MemorySegment frame, int offset) {
        if (frame != last) {
            return frame.asSlice(offset);
        }
        if (lastPayload == null || lastPayloadOffset != offset) {
            lastPayload = frame.asSlice(offset);
            lastPayloadOffset = offset;
        }
        return lastPayload;
    }

    /** The frame from {@link #acquire} has gone to the device (or was dropped): the buffer is free again. */
    void release(MemorySegment frame) {
        if (frame == last) {
            inUse = false;
        }
    }
}
