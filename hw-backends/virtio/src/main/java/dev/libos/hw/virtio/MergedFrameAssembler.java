package dev.libos.hw.virtio;

import dev.libos.hw.pci.LittleEndianMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Gathers one received packet that the device spread over several receive buffers
 * (VIRTIO_NET_F_MRG_RXBUF, VIRTIO 1.2 section 5.1.6.4): the first buffer starts with the
 * {@code virtio_net_hdr} whose {@code num_buffers} says how many buffers the packet uses, and the
 * following buffers, taken in used-ring order, hold only frame bytes.
 *
 * <p>A packet in one buffer (num_buffers 1: every packet, with 2048-byte buffers and a 1500-byte
 * MTU) is handed out in place, without a copy. The bytes of a packet spread over several buffers
 * are copied into one reassembly buffer as each receive buffer completes, so every receive buffer
 * can go straight back to the device. A packet that is malformed (num_buffers 0 or
 * more than the queue can hold, a frame longer than the reassembly buffer, a buffer of invalid
 * length in the middle) is discarded: its remaining buffers, as the header announced them, are
 * consumed without being read. The caller counts what {@link #reset} and the {@code Result}s say.
 *
 * <p>Single-threaded, like the device it belongs to.
 */
final class MergedFrameAssembler {
    /** What one receive buffer did to the packet being gathered. */
    enum Result {
        /** More buffers are expected. */
        NEED_MORE,
        /** The packet is whole: {@link #frame} is valid until the next call. */
        FRAME_READY,
        /** The packet was malformed and is discarded (count it once). */
        DROPPED,
        /** The buffer belonged to an already-discarded packet (not counted again). */
        SKIPPED
    }

    private final MemorySegment frameBuffer;
    private final int maxBuffers;
    /** Buffers of the current packet still to come; 0 when the next buffer starts a packet. */
    private int remainingBuffers;
    private boolean discarding;
    private int frameBytes;
    private int headerFlags;
    private boolean segmented;
    /** The frame of a one-buffer packet, in its receive buffer; null otherwise. */
    private MemorySegment inPlaceFrame;

    /**
     * @param maxFrameBytes the largest frame (without the virtio-net header) to accept
     * @param maxBuffers the most buffers one packet can use: the receive queue's size
     */
    MergedFrameAssembler(int maxFrameBytes, int maxBuffers) {
        this.frameBuffer = Arena.ofAuto().allocate(maxFrameBytes, 8);
        this.maxBuffers = maxBuffers;
    }

    /** Whether a packet has started and not all its buffers have come. */
    boolean inProgress() {
        return remainingBuffers > 0;
    }

    /**
     * Takes one completed receive buffer.
     *
     * @param buffer the receive buffer (its first {@code writtenBytes} are valid)
     * @param writtenBytes bytes the device wrote, or {@link VirtqueueSplit#LENGTH_INVALID}
     */
    Result accept(MemorySegment buffer, int writtenBytes) {
        inPlaceFrame = null;
        return inProgress() ? continuePacket(buffer, writtenBytes) : startPacket(buffer, writtenBytes);
    }

    private Result startPacket(MemorySegment buffer, int writtenBytes) {
        if (writtenBytes < VirtioNetHeader.LENGTH) {
            return Result.DROPPED; // LENGTH_INVALID or not even a header: nothing says how many follow
        }
        int numBuffers = LittleEndianMemory.getU16(buffer, VirtioNetHeader.NUM_BUFFERS_OFFSET);
        if (numBuffers == 0 || numBuffers > maxBuffers) {
            // Section 5.1.6.4: num_buffers is at least 1, and the device cannot use more buffers
            // than were posted. The claim is nonsense, so the following buffers cannot be trusted
            // to belong to this packet either: drop only this one.
            return Result.DROPPED;
        }
        headerFlags = LittleEndianMemory.getU8(buffer, VirtioNetHeader.FLAGS_OFFSET);
        segmented = LittleEndianMemory.getU8(buffer, VirtioNetHeader.GSO_TYPE_OFFSET) != VirtioNetHeader.GSO_NONE;
        int bytes = writtenBytes - VirtioNetHeader.LENGTH;
        if (numBuffers == 1) {
            if (bytes > frameBuffer.byteSize()) {
                return Result.DROPPED; // longer than any frame the MTU allows
            }
            inPlaceFrame = buffer.asSlice(VirtioNetHeader.LENGTH, bytes);
            return Result.FRAME_READY;
        }
        frameBytes = 0;
        discarding = false;
        remainingBuffers = numBuffers;
        return append(buffer, VirtioNetHeader.LENGTH, bytes);
    }

    private Result continuePacket(MemorySegment buffer, int writtenBytes) {
        if (discarding) {
            remainingBuffers--;
            return Result.SKIPPED;
        }
        if (writtenBytes < 0) {
            remainingBuffers--;
            return discard(); // LENGTH_INVALID: the content of this part is unknown
        }
        return append(buffer, 0, writtenBytes);
    }

    private Result append(MemorySegment buffer, long from, int bytes) {
        remainingBuffers--;
        if (bytes > frameBuffer.byteSize() - frameBytes) {
            return discard();
        }
        MemorySegment.copy(buffer, from, frameBuffer, frameBytes, bytes);
        frameBytes += bytes;
        return remainingBuffers == 0 ? Result.FRAME_READY : Result.NEED_MORE;
    }

    private Result discard() {
        discarding = remainingBuffers > 0;
        if (!discarding) {
            remainingBuffers = 0;
        }
        return Result.DROPPED;
    }

    /**
     * The gathered frame (header stripped), valid after {@link Result#FRAME_READY} until the next
     * call; for a one-buffer packet a slice of that receive buffer, so only until it is reposted.
     */
    MemorySegment frame() {
        return inPlaceFrame != null ? inPlaceFrame : frameBuffer.asSlice(0, frameBytes);
    }

    /** The {@code flags} byte of the gathered packet's header. */
    int headerFlags() {
        return headerFlags;
    }

    /**
     * Whether the gathered packet's header names a segmentation type ({@code gso_type} not
     * GSO_NONE): a segment larger than the MTU, with GUEST_TSO4.
     */
    boolean segmented() {
        return segmented;
    }

    /**
     * Abandons a packet whose remaining buffers will not come.
     *
     * @return true when a packet was in progress and not already counted as dropped
     */
    boolean reset() {
        boolean uncounted = remainingBuffers > 0 && !discarding;
        remainingBuffers = 0;
        discarding = false;
        return uncounted;
    }
}
