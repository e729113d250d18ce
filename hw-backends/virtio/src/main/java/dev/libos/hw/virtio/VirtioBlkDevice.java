package dev.libos.hw.virtio;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.BlockRange;
import dev.libos.api.device.DmaMemory;
import dev.libos.api.time.MonotonicClock;
import dev.libos.hw.pci.LittleEndianMemory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A virtio-blk device (VIRTIO 1.2 section 5.2) as a {@link BlockDevice}: read, write and flush
 * over one request queue.
 *
 * <p><b>Completion model (the simple one, first):</b> the calling thread drives the queue itself.
 * It submits one request, notifies the device, then polls the used ring, calling the injected
 * {@code pollPause} between polls, until the request completes or its deadline (on the injected
 * {@link MonotonicClock}) passes. Requests from several threads are serialised by a lock, so at
 * most one is outstanding at a time. A later version parks the caller and lets a CPU-loop poller
 * drain the ring; the request slots below already allow several requests in flight.
 *
 * <p>Data moves through DMA bounce buffers (the caller's segment need not be device-reachable);
 * requests larger than one bounce buffer are split. Negotiated when offered: VERSION_1
 * (required), RING_EVENT_IDX, BLK_SIZE, FLUSH, SIZE_MAX, RO.
 *
 * <p>A misbehaving device never crashes or hangs the caller: IOERR / UNSUPP, an impossible
 * completion length or status byte, a broken queue and a request that never completes each end
 * in an {@link IOException} naming the sector, and are counted in {@link #counters()}. A request
 * abandoned after its deadline keeps its slot (the device may still write into it) until the
 * device completes it late; when every slot is so held, requests fail at once.
 */
public final class VirtioBlkDevice implements BlockDevice {
    /** Features this driver can use. */
    public static final long SUPPORTED_FEATURES = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX
            | VirtioBlkConfig.F_BLK_SIZE | VirtioBlkConfig.F_FLUSH | VirtioBlkConfig.F_SIZE_MAX | VirtioBlkConfig.F_RO;
    /** Largest data transfer of one request (one bounce buffer). */
    public static final int MAX_TRANSFER_BYTES = 64 * 1024;
    /** Largest block size honoured from {@code blk_size}; above it, 512 is used. */
    static final int MAX_BLOCK_SIZE = 4096;
    /** Descriptors per request: header, data, status. */
    private static final int DESCRIPTORS_PER_REQUEST = 3;
    private static final int MAX_SLOTS = 4;
    /** Where the data starts in a slot's DMA buffer (header and status share the first page). */
    private static final int SLOT_DATA_OFFSET = 4096;
    private static final int SLOT_STATUS_OFFSET = VirtioBlkConfig.HEADER_LENGTH;

    /** One request's DMA memory and state. */
    private static final class RequestSlot {
        final MemorySegment header;
        final MemorySegment status;
        final MemorySegment data;
        boolean inFlight;
        boolean completed;
        boolean abandoned;
        int writtenBytes;

        RequestSlot(MemorySegment memory, int dataBytes) {
            header = memory.asSlice(0, VirtioBlkConfig.HEADER_LENGTH);
            status = memory.asSlice(SLOT_STATUS_OFFSET, 1);
            data = memory.asSlice(SLOT_DATA_OFFSET, dataBytes);
        }
    }

    private final String name;
    private final VirtioTransport transport;
    private final MonotonicClock clock;
    private final long requestTimeoutNanos;
    private final Runnable pollPause;
    private final long features;
    private final DmaRegionTranslator translator = new DmaRegionTranslator();
    private final VirtioBlkCounters counters = new VirtioBlkCounters();
    private final ReentrantLock requestLock = new ReentrantLock();
    private final int blockSize;
    private final long blockCount;
    private final int transferBytes;
    private final MemorySegment[] chain = new MemorySegment[DESCRIPTORS_PER_REQUEST];
    private final VirtqueueSplit.CompletionSink completion = this::onCompletion;
    private VirtqueueSplit queue;
    private RequestSlot[] slots;

    private VirtioBlkDevice(String name, VirtioTransport transport, long features, MonotonicClock clock,
                            long requestTimeoutNanos, Runnable pollPause) {
        this.name = name;
        this.transport = transport;
        this.features = features;
        this.clock = clock;
        this.requestTimeoutNanos = requestTimeoutNanos;
        this.pollPause = pollPause;
        this.blockSize = blockSizeFrom(features, transport);
        long capacitySectors = readCapacity(transport);
        this.blockCount = capacitySectors / (blockSize / VirtioBlkConfig.SECTOR_BYTES);
        this.transferBytes = transferBytesFrom(features, transport, blockSize);
    }

    /**
     * Initialises the device behind {@code transport} (section 3.1.1) and sets up its request
     * queue with at most {@code maxQueueSize} entries.
     *
     * @param clock the time source of request deadlines
     * @param requestTimeoutNanos how long a request may stay incomplete before it fails
     * @param pollPause run between two polls of the used ring while waiting (for instance
     *        {@code Thread::onSpinWait}); must return promptly
     * @throws IOException naming the {@link VirtioDeviceInit.Outcome} when the device cannot be driven
     * @throws IllegalArgumentException for a non-positive timeout or a bad queue size limit
     */
    public static VirtioBlkDevice open(String name, VirtioTransport transport, DmaMemory memory, int maxQueueSize,
                                       MonotonicClock clock, long requestTimeoutNanos, Runnable pollPause)
            throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pollPause, "pollPause");
        if (requestTimeoutNanos <= 0) {
            throw new IllegalArgumentException("requestTimeoutNanos must be positive: " + requestTimeoutNanos);
        }
        VirtqueueDescriptor.checkQueueSize(maxQueueSize);
        VirtioBlkDevice[] created = new VirtioBlkDevice[1];
        var result = VirtioDeviceInit.initialise(transport, SUPPORTED_FEATURES, 0, (t, negotiated) -> {
            if (t.queueCount() < 1) {
                return false;
            }
            VirtioBlkDevice device = new VirtioBlkDevice(name, t, negotiated, clock, requestTimeoutNanos, pollPause);
            created[0] = device;
            return device.setUpQueue(memory, maxQueueSize);
        });
        if (!result.ready()) {
            if (created[0] != null) {
                created[0].translator.closeAll();
            }
            throw new IOException(name + ": virtio-blk initialisation failed: " + result.outcome());
        }
        return created[0];
    }

    private static int blockSizeFrom(long features, VirtioTransport transport) {
        if (!VirtioFeatures.has(features, VirtioBlkConfig.F_BLK_SIZE)) {
            return VirtioBlkConfig.SECTOR_BYTES;
        }
        int reported = transport.readConfig32(VirtioBlkConfig.BLK_SIZE_OFFSET);
        // blk_size is advice (section 5.2.4): honour it only if BlockDevice can express it.
        boolean usable = reported >= VirtioBlkConfig.SECTOR_BYTES && reported <= MAX_BLOCK_SIZE && Integer.bitCount(reported) == 1;
        return usable ? reported : VirtioBlkConfig.SECTOR_BYTES;
    }

    private static long readCapacity(VirtioTransport transport) {
        // Section 2.5.1: a 64-bit field read as two 32-bit halves is consistent only if the
        // generation counter did not change across the reads; retry a bounded number of times.
        for (int attempt = 0; attempt < 16; attempt++) {
            int before = transport.configGeneration();
            long low = Integer.toUnsignedLong(transport.readConfig32(VirtioBlkConfig.CAPACITY_OFFSET));
            long high = Integer.toUnsignedLong(transport.readConfig32(VirtioBlkConfig.CAPACITY_OFFSET + 4));
            if (transport.configGeneration() == before) {
                return Math.max(0, (high << 32) | low);
            }
        }
        return 0; // a device whose config never settles has no usable blocks
    }

    private static int transferBytesFrom(long features, VirtioTransport transport, int blockSize) {
        long limit = MAX_TRANSFER_BYTES;
        if (VirtioFeatures.has(features, VirtioBlkConfig.F_SIZE_MAX)) {
            long sizeMax = Integer.toUnsignedLong(transport.readConfig32(VirtioBlkConfig.SIZE_MAX_OFFSET));
            if (sizeMax >= blockSize) {
                limit = Math.min(limit, sizeMax);
            }
        }
        return (int) (limit / blockSize * blockSize);
    }

    private boolean setUpQueue(DmaMemory memory, int maxQueueSize) {
        int deviceMax = transport.queueMaxSize(VirtioBlkConfig.REQUEST_QUEUE);
        int size = Integer.highestOneBit(Math.min(Math.min(Math.max(deviceMax, 0), maxQueueSize), VirtqueueDescriptor.MAX_QUEUE_SIZE));
        if (size < DESCRIPTORS_PER_REQUEST) {
            return false;
        }
        boolean eventIndex = VirtioFeatures.has(features, VirtioFeatures.RING_EVENT_IDX);
        var desc = translator.register(memory.allocate(VirtqueueDescriptor.descriptorTableBytes(size), 4096));
        var avail = translator.register(memory.allocate(VirtqueueDescriptor.availRingBytes(size), 4096));
        var used = translator.register(memory.allocate(VirtqueueDescriptor.usedRingBytes(size), 4096));
        queue = new VirtqueueSplit(size, desc.segment(), avail.segment(), used.segment(), translator, eventIndex);
        // Poll mode: the caller polls the used ring, so the device need not interrupt.
        queue.disableInterrupts();
        // Enough slots that every one can be in flight at once without the queue running out
        // of descriptors: add() never sees NO_SPACE.
        slots = new RequestSlot[Math.min(MAX_SLOTS, size / DESCRIPTORS_PER_REQUEST)];
        for (int i = 0; i < slots.length; i++) {
            var buffer = translator.register(memory.allocate(SLOT_DATA_OFFSET + transferBytes, 4096));
            slots[i] = new RequestSlot(buffer.segment(), transferBytes);
        }
        transport.setupQueue(VirtioBlkConfig.REQUEST_QUEUE, size, desc.deviceAddress(), avail.deviceAddress(), used.deviceAddress());
        transport.enableQueue(VirtioBlkConfig.REQUEST_QUEUE);
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    /** Whether the device is read-only (VIRTIO_BLK_F_RO); writes then fail. */
    public boolean readOnly() {
        return VirtioFeatures.has(features, VirtioBlkConfig.F_RO);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IOException when the device fails a request, naming its first sector
     * @throws IllegalArgumentException for a length that is not a multiple of the block size or
     *         a range outside the device
     */
    @Override
    public void read(long block, MemorySegment dst) throws IOException {
        long blocks = BlockRange.check(this, block, dst);
        requestLock.lock();
        try {
            for (long done = 0; done < blocks * blockSize; done += transferBytes) {
                int bytes = (int) Math.min(transferBytes, blocks * blockSize - done);
                RequestSlot slot = submit(VirtioBlkConfig.TYPE_IN, sectorOf(block) + done / VirtioBlkConfig.SECTOR_BYTES, bytes);
                MemorySegment.copy(slot.data, 0, dst, done, bytes);
                counters.reads.increment();
                counters.bytesRead.add(bytes);
            }
        } finally {
            requestLock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IOException when the device fails a request (naming its first sector) or is read-only
     * @throws IllegalArgumentException for a length that is not a multiple of the block size or
     *         a range outside the device
     */
    @Override
    public void write(long block, MemorySegment src) throws IOException {
        long blocks = BlockRange.check(this, block, src);
        if (readOnly()) {
            throw new IOException(name + ": write to sector " + sectorOf(block) + " refused: the device is read-only");
        }
        requestLock.lock();
        try {
            for (long done = 0; done < blocks * blockSize; done += transferBytes) {
                int bytes = (int) Math.min(transferBytes, blocks * blockSize - done);
                long sector = sectorOf(block) + done / VirtioBlkConfig.SECTOR_BYTES;
                RequestSlot slot = freeSlot(sector);
                MemorySegment.copy(src, done, slot.data, 0, bytes);
                submit(slot, VirtioBlkConfig.TYPE_OUT, sector, bytes);
                counters.writes.increment();
                counters.bytesWritten.add(bytes);
            }
        } finally {
            requestLock.unlock();
        }
    }

    /**
     * {@inheritDoc} Without VIRTIO_BLK_F_FLUSH there is no flush request to send: the device is
     * taken to be write-through (it completes a write once it is durable) and this returns at once.
     */
    @Override
    public void flush() throws IOException {
        if (!VirtioFeatures.has(features, VirtioBlkConfig.F_FLUSH)) {
            return;
        }
        requestLock.lock();
        try {
            submit(VirtioBlkConfig.TYPE_FLUSH, 0, 0);
            counters.flushes.increment();
        } finally {
            requestLock.unlock();
        }
    }

    /**
     * Asks the device for its id string (VIRTIO_BLK_T_GET_ID, section 5.2.6; QEMU's
     * {@code serial=}), which names a volume independently of its PCI slot.
     *
     * @return the id, or "" when the device has none (it answered UNSUPP) or sent bytes that
     *         are not printable ASCII (counted in {@link VirtioBlkCounters#badCompletions()})
     * @throws IOException when the request fails otherwise (IOERR, timeout, broken queue)
     */
    public String readId() throws IOException {
        requestLock.lock();
        try {
            RequestSlot slot = freeSlot(0);
            MemorySegment id = slot.data.asSlice(0, VirtioBlkConfig.ID_BYTES);
            id.fill((byte) 0);
            submit(slot, VirtioBlkConfig.TYPE_GET_ID, 0, VirtioBlkConfig.ID_BYTES);
            if (Byte.toUnsignedInt(slot.status.get(ValueLayout.JAVA_BYTE, 0)) == VirtioBlkConfig.STATUS_UNSUPP) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < VirtioBlkConfig.ID_BYTES; i++) {
                int c = Byte.toUnsignedInt(id.get(ValueLayout.JAVA_BYTE, i));
                if (c == 0) {
                    break;
                }
                if (c < 0x20 || c > 0x7e) {
                    counters.badCompletions.increment();
                    return "";
                }
                text.append((char) c);
            }
            return text.toString();
        } finally {
            requestLock.unlock();
        }
    }

    private long sectorOf(long block) {
        return block * (blockSize / VirtioBlkConfig.SECTOR_BYTES);
    }

    private RequestSlot submit(int type, long sector, int dataBytes) throws IOException {
        RequestSlot slot = freeSlot(sector);
        submit(slot, type, sector, dataBytes);
        return slot;
    }

    private RequestSlot freeSlot(long sector) throws IOException {
        // Late completions may have freed a slot since the last request.
        queue.drain(completion, Integer.MAX_VALUE);
        for (RequestSlot slot : slots) {
            if (!slot.inFlight) {
                return slot;
            }
        }
        throw new IOException(name + ": request for sector " + sector + " refused: all " + slots.length
                + " request slots are held by requests the device never completed");
    }

    /** Submits one request in {@code slot} and waits for it (the calling thread polls). */
    private void submit(RequestSlot slot, int type, long sector, int dataBytes) throws IOException {
        if (queue.isBroken()) {
            throw new IOException(name + ": request for sector " + sector + " failed: the request queue is broken");
        }
        MemorySegment header = slot.header;
        LittleEndianMemory.putI32(header, VirtioBlkConfig.HEADER_TYPE_OFFSET, type);
        LittleEndianMemory.putI32(header, VirtioBlkConfig.HEADER_RESERVED_OFFSET, 0);
        LittleEndianMemory.putI64(header, VirtioBlkConfig.HEADER_SECTOR_OFFSET, sector);
        // A status the device never writes must not read as OK.
        slot.status.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xFF);
        int count;
        int readable;
        int writable;
        chain[0] = header;
        if (type == VirtioBlkConfig.TYPE_FLUSH) {
            chain[1] = slot.status;
            count = 2;
            readable = 1;
        } else {
            chain[1] = slot.data.asSlice(0, dataBytes);
            chain[2] = slot.status;
            count = 3;
            // Spec 5.2.6: header readable; data readable for OUT, writable for IN and GET_ID; status writable.
            readable = type == VirtioBlkConfig.TYPE_OUT ? 2 : 1;
        }
        writable = count - readable;
        int head = queue.add(chain, readable, writable, slot);
        if (head < 0) {
            // BROKEN (NO_SPACE cannot happen: slots * 3 <= queue size).
            throw new IOException(name + ": request for sector " + sector + " failed: the request queue is broken");
        }
        slot.inFlight = true;
        slot.completed = false;
        slot.abandoned = false;
        if (queue.publish()) {
            transport.notifyQueue(VirtioBlkConfig.REQUEST_QUEUE);
            counters.notifications.increment();
        }
        awaitCompletion(slot, sector);
        checkStatus(slot, type, sector, dataBytes);
    }

    private void awaitCompletion(RequestSlot slot, long sector) throws IOException {
        long deadlineNanos = clock.nanoTime() + requestTimeoutNanos;
        while (true) {
            queue.drain(completion, Integer.MAX_VALUE);
            if (slot.completed) {
                return;
            }
            if (queue.isBroken()) {
                slot.abandoned = true;
                throw new IOException(name + ": request for sector " + sector + " failed: the device broke the request queue");
            }
            if (clock.nanoTime() - deadlineNanos >= 0) {
                // The device still owns the chain: the slot stays in flight until it completes.
                slot.abandoned = true;
                counters.timeouts.increment();
                throw new IOException(name + ": request for sector " + sector + " timed out after "
                        + requestTimeoutNanos / 1_000_000 + " ms (device status 0x" + Integer.toHexString(transport.readStatus()) + ")");
            }
            pollPause.run();
        }
    }

    private void onCompletion(Object token, int writtenBytes) {
        RequestSlot slot = (RequestSlot) token;
        if (slot.abandoned) {
            counters.lateCompletions.increment();
            slot.abandoned = false;
            slot.inFlight = false;
            return;
        }
        slot.completed = true;
        slot.inFlight = false;
        slot.writtenBytes = writtenBytes;
    }

    private void checkStatus(RequestSlot slot, int type, long sector, int dataBytes) throws IOException {
        // The used length counts the bytes the device wrote: data (for IN) then the status byte
        // (section 2.7.8). Less than the status byte, or LENGTH_INVALID, means nothing the
        // device wrote can be trusted.
        if (slot.writtenBytes < 1) {
            throw badCompletion(sector, slot.writtenBytes == VirtqueueSplit.LENGTH_INVALID
                    ? "an impossible used length" : "used length " + slot.writtenBytes);
        }
        int status = Byte.toUnsignedInt(slot.status.get(ValueLayout.JAVA_BYTE, 0));
        switch (status) {
            case VirtioBlkConfig.STATUS_OK -> {
                // A failed read may report only the status byte; a successful one all its data.
                if (type == VirtioBlkConfig.TYPE_IN && slot.writtenBytes != dataBytes + 1) {
                    throw badCompletion(sector, "used length " + slot.writtenBytes + " for a read of " + dataBytes + " bytes");
                }
            }
            case VirtioBlkConfig.STATUS_IOERR -> {
                counters.ioErrors.increment();
                throw new IOException(name + ": " + typeName(type) + " at sector " + sector + " failed: IOERR");
            }
            case VirtioBlkConfig.STATUS_UNSUPP -> {
                counters.unsupported.increment();
                if (type == VirtioBlkConfig.TYPE_GET_ID) {
                    return; // an id is optional: the caller reads the status and takes "none"
                }
                throw new IOException(name + ": " + typeName(type) + " at sector " + sector + " failed: UNSUPP");
            }
            default -> throw badCompletion(sector, VirtioBlkConfig.statusName(status));
        }
    }

    private IOException badCompletion(long sector, String what) {
        counters.badCompletions.increment();
        return new IOException(name + ": request for sector " + sector + " failed: the device returned " + what);
    }

    private static String typeName(int type) {
        return switch (type) {
            case VirtioBlkConfig.TYPE_IN -> "read";
            case VirtioBlkConfig.TYPE_OUT -> "write";
            case VirtioBlkConfig.TYPE_GET_ID -> "get-id";
            default -> "flush";
        };
    }

    /** The features negotiated with the device. */
    public long negotiatedFeatures() {
        return features;
    }

    /** Bytes moved by one request at most (a bounce buffer). */
    public int transferBytes() {
        return transferBytes;
    }

    public VirtioBlkCounters counters() {
        return counters;
    }

    public VirtqueueCounters requestQueueCounters() {
        return queue.counters();
    }

    /** Resets the device (it stops using our memory) and releases the DMA memory. */
    public void close() {
        requestLock.lock();
        try {
            transport.reset();
            translator.closeAll();
        } finally {
            requestLock.unlock();
        }
    }
}
