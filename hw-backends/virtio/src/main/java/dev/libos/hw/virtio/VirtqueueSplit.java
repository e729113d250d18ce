package dev.libos.hw.virtio;

import dev.libos.hw.pci.LittleEndianMemory;
import static dev.libos.hw.virtio.VirtqueueDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The driver side of a virtio 1.x split virtqueue (VIRTIO 1.2, section 2.7): the descriptor
 * table, available ring and used ring live in device-reachable memory laid out as
 * {@link VirtqueueDescriptor} describes.
 *
 * <p>Single-threaded: one poller adds buffers, publishes them and drains completions. The
 * device runs concurrently on the other side of the rings; the memory-ordering points are
 * commented where they occur.
 *
 * <p>Nothing the device writes is trusted. The chain structure (next pointers, lengths, tokens)
 * is kept in driver-private shadow arrays, so the device can corrupt at most the content of the
 * buffers it was given. A used element with an out-of-range id, an id not in flight or a length
 * beyond the chain's writable bytes is dropped (or delivered as {@link #LENGTH_INVALID}) and
 * counted; a used index that moves by more than the queue size leaves the queue
 * {@linkplain #isBroken() broken}: it then accepts and delivers nothing until it is rebuilt.
 */
public final class VirtqueueSplit {
    /** {@link #add} result: not enough free descriptors; retry after completions are drained. */
    public static final int NO_SPACE = -1;
    /** {@link #add} result: the queue is broken. */
    public static final int BROKEN = -2;
    /** Completion length for a chain the device returned with an impossible length. */
    public static final int LENGTH_INVALID = -1;

    /** Receives completed chains. */
    @FunctionalInterface
    public interface CompletionSink {
        /**
         * One chain came back.
         *
         * @param token what was passed to {@link #add}
         * @param writtenBytes bytes the device wrote into the chain's writable buffers, or
         *        {@link #LENGTH_INVALID} when it claimed more than they hold (the content is then
         *        not to be trusted, but the buffers are the driver's again)
         */
        void onCompletion(Object token, int writtenBytes);
    }

    private final int queueSize;
    private final int mask;
    private final MemorySegment descriptorTable;
    private final MemorySegment availRing;
    private final MemorySegment usedRing;
    private final DeviceAddressTranslator translator;
    private final boolean eventIndex;
    private final long usedEventOffset;
    private final long availEventOffset;

    // Driver-private shadows: never read back from device memory.
    private final int[] nextShadow;
    private final int[] chainLength;
    private final long[] writableBytes;
    private final Object[] tokens;
    private int freeHead;
    private int freeCount;

    /** Next available index to write (16-bit, wraps). */
    private int availIdx;
    /** Available index at the previous publication (for the avail_event rule). */
    private int publishedAvailIdx;
    /** Next used index to consume (16-bit, wraps). */
    private int lastUsedIdx;
    private boolean broken;
    private boolean interruptsEnabled;
    private final VirtqueueCounters counters = new VirtqueueCounters();

    /**
     * Creates the driver side over zeroed rings.
     *
     * @param eventIndex whether VIRTIO_F_EVENT_IDX was negotiated
     * @throws IllegalArgumentException for a size that is not a power of two up to 32768, or a
     *         segment too small, not native, or misaligned
     */
    public VirtqueueSplit(int queueSize, MemorySegment descriptorTable, MemorySegment availRing,
                          MemorySegment usedRing, DeviceAddressTranslator translator, boolean eventIndex) {
        this.queueSize = checkQueueSize(queueSize);
        this.mask = queueSize - 1;
        this.descriptorTable = checkRing("descriptorTable", descriptorTable, descriptorTableBytes(queueSize), DESCRIPTOR_TABLE_ALIGNMENT);
        this.availRing = checkRing("availRing", availRing, availRingBytes(queueSize), AVAIL_RING_ALIGNMENT);
        this.usedRing = checkRing("usedRing", usedRing, usedRingBytes(queueSize), USED_RING_ALIGNMENT);
        this.translator = Objects.requireNonNull(translator, "translator");
        this.eventIndex = eventIndex;
        this.usedEventOffset = VirtqueueDescriptor.usedEventOffset(queueSize);
        this.availEventOffset = VirtqueueDescriptor.availEventOffset(queueSize);
        this.nextShadow = new int[queueSize];
        this.chainLength = new int[queueSize];
        this.writableBytes = new long[queueSize];
        this.tokens = new Object[queueSize];
        for (int i = 0; i < queueSize; i++) {
            nextShadow[i] = i + 1;
        }
        freeHead = 0;
        freeCount = queueSize;
        descriptorTable.fill((byte) 0);
        availRing.fill((byte) 0);
        usedRing.fill((byte) 0);
    }

    private static MemorySegment checkRing(String name, MemorySegment segment, long bytes, int alignment) {
        Objects.requireNonNull(segment, name);
        if (!segment.isNative()) {
            throw new IllegalArgumentException(name + " must be native memory: " + segment);
        }
        if (segment.byteSize() < bytes) {
            throw new IllegalArgumentException(name + " needs " + bytes + " bytes: " + segment.byteSize());
        }
        if (segment.address() % alignment != 0) {
            throw new IllegalArgumentException(name + " must be " + alignment + "-byte aligned: 0x" + Long.toHexString(segment.address()));
        }
        return segment;
    }

    /**
     * Writes one chain of descriptors and puts its head in the available ring, not yet visible
     * to the device: {@link #publish()} makes it so.
     *
     * @param buffers device-readable buffers first, then device-writable ones
     * @param readableCount how many of {@code buffers} (from the start) the device reads
     * @param writableCount how many follow that the device writes
     * @param token returned with the completion; not null
     * @return the head descriptor id, {@link #NO_SPACE} or {@link #BROKEN}
     * @throws IllegalArgumentException for an empty chain, counts beyond the array, a null or
     *         empty buffer, or one longer than 2^32 - 1 bytes
     */
    public int add(MemorySegment[] buffers, int readableCount, int writableCount, Object token) {
        Objects.requireNonNull(token, "token");
        int count = readableCount + writableCount;
        if (readableCount < 0 || writableCount < 0 || count == 0 || count > buffers.length) {
            throw new IllegalArgumentException("bad chain: readable=" + readableCount + " writable=" + writableCount + " buffers=" + buffers.length);
        }
        for (int i = 0; i < count; i++) {
            MemorySegment b = buffers[i];
            if (b == null || b.byteSize() == 0 || b.byteSize() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("buffer " + i + " must hold 1 to 2^32-1 bytes: " + b);
            }
        }
        if (broken) {
            return BROKEN;
        }
        if (count > freeCount) {
            return NO_SPACE;
        }
        int head = freeHead;
        int id = head;
        int last = head;
        long writable = 0;
        for (int i = 0; i < count; i++) {
            MemorySegment b = buffers[i];
            boolean deviceWrites = i >= readableCount;
            if (deviceWrites) {
                writable += b.byteSize();
            }
            long d = descriptorOffset(id);
            int flags = (deviceWrites ? FLAG_WRITE : 0) | (i + 1 < count ? FLAG_NEXT : 0);
            LittleEndianMemory.putI64(descriptorTable, d + DESCRIPTOR_ADDRESS_OFFSET, translator.deviceAddress(b));
            LittleEndianMemory.putI32(descriptorTable, d + DESCRIPTOR_LENGTH_OFFSET, (int) b.byteSize());
            LittleEndianMemory.putU16(descriptorTable, d + DESCRIPTOR_FLAGS_OFFSET, flags);
            // The free list threads through nextShadow, so the chain's next ids are already
            // the free list's order: the descriptor's next field is the next free id.
            LittleEndianMemory.putU16(descriptorTable, d + DESCRIPTOR_NEXT_OFFSET, i + 1 < count ? nextShadow[id] : 0);
            last = id;
            id = nextShadow[id];
        }
        freeHead = id;
        freeCount -= count;
        nextShadow[last] = -1;
        chainLength[head] = count;
        writableBytes[head] = writable;
        tokens[head] = token;
        // Plain store: the device may not read this slot before it sees the avail idx that
        // covers it, and publish() orders that idx store after this one (section 2.7.13.2).
        LittleEndianMemory.putU16(availRing, availRingOffset(availIdx & mask), head);
        availIdx = (availIdx + 1) & 0xFFFF;
        counters.buffersAdded.increment();
        return head;
    }

    /**
     * Makes every chain added since the last call visible to the device and tells whether the
     * device wants a notification now (section 2.7.13.3 and 2.7.13.4).
     *
     * @return true when the caller must notify the device (transport notify), false when the
     *         device asked not to be or nothing was added
     */
    public boolean publish() {
        if (broken) {
            return false;
        }
        int oldIdx = publishedAvailIdx;
        int newIdx = availIdx;
        if (oldIdx == newIdx) {
            return false;
        }
        publishedAvailIdx = newIdx;
        // Release store: the descriptors and ring slots written by add() become visible to the
        // device before the idx that tells it they exist (section 2.7.13.2, "the driver MUST
        // perform a suitable memory barrier before the idx update").
        LittleEndianMemory.putU16Release(availRing, AVAIL_IDX_OFFSET, newIdx);
        // Full fence (store-load): the idx store must be visible before we read the device's
        // avail_event / flags. Otherwise the device could read the old idx, decide it has
        // nothing to do and publish an avail_event we never see because our read was satisfied
        // early: neither side would act and the chain would sit unseen (the OSv vring argument).
        VarHandle.fullFence();
        boolean notify;
        if (eventIndex) {
            // Section 2.7.10: notify when avail_event lies in [oldIdx, newIdx).
            int availEvent = LittleEndianMemory.getU16(usedRing, availEventOffset);
            notify = needEvent(availEvent, newIdx, oldIdx);
        } else {
            // Section 2.7.7: the device sets VIRTQ_USED_F_NO_NOTIFY as an (unreliable) hint.
            notify = (LittleEndianMemory.getU16(usedRing, USED_FLAGS_OFFSET) & USED_F_NO_NOTIFY) == 0;
        }
        if (notify) {
            counters.notificationsSent.increment();
        } else {
            counters.notificationsSuppressed.increment();
        }
        return notify;
    }

    /**
     * Hands up to {@code budget} completed chains to {@code sink}, freeing their descriptors
     * first (the sink may add new chains).
     *
     * @return chains delivered (malformed used elements are consumed and counted, not delivered)
     */
    public int drain(CompletionSink sink, int budget) {
        if (broken || budget <= 0) {
            return 0;
        }
        // Acquire load: the used elements the device wrote before its idx store are visible
        // to the reads below (section 2.7.8: the device writes the element, then the idx).
        int usedIdx = LittleEndianMemory.getU16Acquire(usedRing, USED_IDX_OFFSET);
        int pending = (usedIdx - lastUsedIdx) & 0xFFFF;
        if (pending > queueSize) {
            // The device cannot have more than queueSize elements outstanding: its idx is garbage
            // and no element can be trusted to line up with the ring any more.
            counters.usedIndexJumps.increment();
            broken = true;
            return 0;
        }
        int n = Math.min(pending, budget);
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            long e = usedRingOffset(lastUsedIdx & mask);
            int id = LittleEndianMemory.getI32(usedRing, e + USED_ELEMENT_ID_OFFSET);
            long len = Integer.toUnsignedLong(LittleEndianMemory.getI32(usedRing, e + USED_ELEMENT_LEN_OFFSET));
            lastUsedIdx = (lastUsedIdx + 1) & 0xFFFF;
            if (id < 0 || id >= queueSize) {
                counters.droppedIdOutOfRange.increment();
                continue;
            }
            Object token = tokens[id];
            if (token == null) {
                counters.droppedIdNotInFlight.increment();
                continue;
            }
            long capacity = writableBytes[id];
            freeChain(id);
            counters.buffersCompleted.increment();
            int written;
            if (len > capacity) {
                counters.badLength.increment();
                written = LENGTH_INVALID;
            } else {
                written = (int) len;
            }
            delivered++;
            sink.onCompletion(token, written);
        }
        if (eventIndex && interruptsEnabled) {
            // Section 2.7.10: ask for an interrupt when the next element after these is used.
            LittleEndianMemory.putU16(availRing, usedEventOffset, lastUsedIdx);
        }
        return delivered;
    }

    private void freeChain(int head) {
        int count = chainLength[head];
        int id = head;
        // nextShadow links the chain in the order add() took ids from the free list; the
        // descriptor table's next fields are never read back (the device may have scribbled on
        // them).
        for (int i = 1; i < count; i++) {
            id = nextShadow[id];
        }
        // id is now the chain's last descriptor: splice the chain onto the front of the free list.
        nextShadow[id] = freeHead;
        freeHead = head;
        freeCount += count;
        tokens[head] = null;
        chainLength[head] = 0;
        writableBytes[head] = 0;
    }

    /**
     * Asks the device to interrupt when it uses the next chain (section 2.7.10 with EVENT_IDX,
     * otherwise by clearing VIRTQ_AVAIL_F_NO_INTERRUPT, section 2.7.6).
     *
     * @return true when completions are already pending: the caller should drain again rather
     *         than wait for an interrupt that may have been decided against before this call
     */
    public boolean enableInterrupts() {
        interruptsEnabled = true;
        if (eventIndex) {
            LittleEndianMemory.putU16(availRing, usedEventOffset, lastUsedIdx);
        } else {
            LittleEndianMemory.putU16(availRing, AVAIL_FLAGS_OFFSET, 0);
        }
        // Full fence (store-load): the device must be able to see our used_event / flags before
        // we look at its used idx; otherwise it may complete a chain after our read, read our
        // old event, not interrupt, and we would sleep on a completion nobody announces.
        VarHandle.fullFence();
        return hasPendingCompletions();
    }

    /**
     * Asks the device not to interrupt (poll mode). Only a hint: a device may still interrupt.
     * With EVENT_IDX, used_event is set as far behind as it can be (one before the last
     * consumed index), so the device's [old, new) window reaches it only after wrapping.
     */
    public void disableInterrupts() {
        interruptsEnabled = false;
        if (eventIndex) {
            LittleEndianMemory.putU16(availRing, usedEventOffset, (lastUsedIdx - 1) & 0xFFFF);
        } else {
            LittleEndianMemory.putU16(availRing, AVAIL_FLAGS_OFFSET, AVAIL_F_NO_INTERRUPT);
        }
    }

    /** Whether the device has used chains not yet drained (an acquire read of the used idx). */
    public boolean hasPendingCompletions() {
        // Acquire: pairs with the device's release of its idx, like drain().
        return !broken && LittleEndianMemory.getU16Acquire(usedRing, USED_IDX_OFFSET) != lastUsedIdx;
    }

    /** Entries of the descriptor table. */
    public int queueSize() {
        return queueSize;
    }

    /** Descriptors free for {@link #add}. */
    public int freeDescriptors() {
        return freeCount;
    }

    /** Descriptors in chains the device holds or has not yet been shown. */
    public int descriptorsInFlight() {
        return queueSize - freeCount;
    }

    /** Whether the device broke the ring protocol so that the queue cannot continue. */
    public boolean isBroken() {
        return broken;
    }

    /** This queue's statistics. */
    public VirtqueueCounters counters() {
        return counters;
    }
}
