package dev.libos.hw.virtio;

import dev.libos.hw.pci.LittleEndianMemory;
import static dev.libos.hw.virtio.VirtqueueDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The device side of a split virtqueue in memory, for tests: it reads the available ring and
 * descriptor chains the driver wrote and writes used elements, with the device's own ordering
 * and event-index rules. Device addresses are CPU addresses (the identity translator).
 *
 * <p>It misbehaves on demand: {@link #completeRaw} writes any id and length, {@link #jumpUsedIndex}
 * moves the used idx arbitrarily, {@link #setNoNotify} sets the device's hint flag. A stalled
 * device is one the test does not call.
 */
final class VirtqueueDeviceModel {
    /** One descriptor of a chain, as the device reads it. */
    record Buffer(long address, int length, boolean deviceWrites) {
        MemorySegment memory() {
            return MemorySegment.ofAddress(address).reinterpret(Integer.toUnsignedLong(length));
        }
    }

    /** A chain popped from the available ring. */
    record Chain(int head, List<Buffer> buffers) {
        long writableBytes() {
            return buffers.stream().filter(Buffer::deviceWrites).mapToLong(b -> Integer.toUnsignedLong(b.length())).sum();
        }

        /** Concatenated content of the device-readable buffers. */
        byte[] readableBytes() {
            var out = new java.io.ByteArrayOutputStream();
            for (Buffer b : buffers) {
                if (!b.deviceWrites()) {
                    out.writeBytes(b.memory().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
            }
            return out.toByteArray();
        }

        /** Writes {@code data} across the writable buffers; returns bytes written. */
        int write(byte[] data) {
            int off = 0;
            for (Buffer b : buffers) {
                if (b.deviceWrites() && off < data.length) {
                    int n = (int) Math.min(Integer.toUnsignedLong(b.length()), data.length - off);
                    MemorySegment.copy(MemorySegment.ofArray(data), off, b.memory(), 0, n);
                    off += n;
                }
            }
            return off;
        }
    }

    private final int queueSize;
    private final MemorySegment descriptorTable;
    private final MemorySegment availRing;
    private final MemorySegment usedRing;
    private final boolean eventIndex;
    private int lastAvailIdx;
    private int usedIdx;
    private int interrupts;

    VirtqueueDeviceModel(int queueSize, MemorySegment descriptorTable, MemorySegment availRing,
                         MemorySegment usedRing, boolean eventIndex) {
        this.queueSize = queueSize;
        this.descriptorTable = descriptorTable;
        this.availRing = availRing;
        this.usedRing = usedRing;
        this.eventIndex = eventIndex;
    }

    /** Chains published and not yet popped. */
    int available() {
        // Acquire: pairs with the driver's release store of avail idx.
        return (LittleEndianMemory.getU16Acquire(availRing, AVAIL_IDX_OFFSET) - lastAvailIdx) & 0xFFFF;
    }

    /** The next published chain, or null. Updates avail_event to ask for a notification after it. */
    Chain pop() {
        if (available() == 0) {
            return null;
        }
        int head = LittleEndianMemory.getU16(availRing, availRingOffset(lastAvailIdx & (queueSize - 1)));
        lastAvailIdx = (lastAvailIdx + 1) & 0xFFFF;
        List<Buffer> buffers = new ArrayList<>();
        int id = head;
        for (int i = 0; i < queueSize; i++) { // bounded: a loop in the chain cannot hang the model
            long d = descriptorOffset(id);
            int flags = LittleEndianMemory.getU16(descriptorTable, d + DESCRIPTOR_FLAGS_OFFSET);
            buffers.add(new Buffer(LittleEndianMemory.getI64(descriptorTable, d + DESCRIPTOR_ADDRESS_OFFSET),
                    LittleEndianMemory.getI32(descriptorTable, d + DESCRIPTOR_LENGTH_OFFSET), (flags & FLAG_WRITE) != 0));
            if ((flags & FLAG_NEXT) == 0) {
                break;
            }
            id = LittleEndianMemory.getU16(descriptorTable, d + DESCRIPTOR_NEXT_OFFSET);
        }
        if (eventIndex) {
            LittleEndianMemory.putU16(usedRing, availEventOffset(queueSize), lastAvailIdx);
            VarHandle.fullFence(); // the device's side of the store-load argument in publish()
        }
        return new Chain(head, List.copyOf(buffers));
    }

    /** Returns a chain with a correct id; the result says whether the driver would be interrupted. */
    boolean complete(Chain chain, int writtenBytes) {
        return completeRaw(chain.head(), writtenBytes);
    }

    /** Writes one used element with any id and length (misbehaving at will). */
    boolean completeRaw(int id, int length) {
        long e = usedRingOffset(usedIdx & (queueSize - 1));
        LittleEndianMemory.putI32(usedRing, e + USED_ELEMENT_ID_OFFSET, id);
        LittleEndianMemory.putI32(usedRing, e + USED_ELEMENT_LEN_OFFSET, length);
        int old = usedIdx;
        usedIdx = (usedIdx + 1) & 0xFFFF;
        // Release: the element is visible before the idx that covers it.
        LittleEndianMemory.putU16Release(usedRing, USED_IDX_OFFSET, usedIdx);
        VarHandle.fullFence();
        boolean interrupt = eventIndex
                ? needEvent(LittleEndianMemory.getU16(availRing, usedEventOffset(queueSize)), usedIdx, old)
                : (LittleEndianMemory.getU16(availRing, AVAIL_FLAGS_OFFSET) & AVAIL_F_NO_INTERRUPT) == 0;
        if (interrupt) {
            interrupts++;
        }
        return interrupt;
    }

    /** Moves the used idx by {@code delta} without writing elements. */
    void jumpUsedIndex(int delta) {
        usedIdx = (usedIdx + delta) & 0xFFFF;
        LittleEndianMemory.putU16Release(usedRing, USED_IDX_OFFSET, usedIdx);
    }

    /** Sets or clears VIRTQ_USED_F_NO_NOTIFY. */
    void setNoNotify(boolean noNotify) {
        LittleEndianMemory.putU16(usedRing, USED_FLAGS_OFFSET, noNotify ? USED_F_NO_NOTIFY : 0);
    }

    /** The device's used idx (16-bit). */
    int usedIndex() {
        return usedIdx;
    }

    int interrupts() {
        return interrupts;
    }
}
