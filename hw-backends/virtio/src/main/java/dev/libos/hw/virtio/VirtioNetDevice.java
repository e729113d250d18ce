package dev.libos.hw.virtio;

import dev.libos.api.device.DmaMemory;
import dev.libos.api.device.NetDevice;
import dev.libos.hw.pci.LittleEndianMemory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A virtio-net device (VIRTIO 1.2 section 5.1), one receive and one transmit queue, polled; with
 * {@link #useInterrupts()} its receive notifications wake the idle poller (NAPI: off while
 * the poller finds frames, armed by {@link #armReceiveWakeup()} before it sleeps).
 *
 * <p>Negotiated when offered: VERSION_1 (required), RING_EVENT_IDX, NET_MAC, NET_STATUS, NET_MTU,
 * NET_MRG_RXBUF (a packet may span several receive buffers; they are gathered by a
 * {@link MergedFrameAssembler}), NET_GUEST_CSUM (receive checksum offload: a frame whose header
 * says DATA_VALID or NEEDS_CSUM goes to {@link FrameSink#onFrame(MemorySegment, boolean)} as
 * verified), NET_CSUM (transmit checksum offload: {@link #transmit(MemorySegment, int, int)} sends
 * NEEDS_CSUM and the device completes the checksum), NET_GUEST_TSO4 (receive segmentation
 * offload, only together with GUEST_CSUM, which the specification requires, and
 * MRG_RXBUF, since a large segment needs up to 33 of our 2 KiB buffers: the device may then hand
 * over TCP segments of up to 64 KiB, which a TAP backend does when the host's stack sends large
 * segments, so the stack runs once per 64 KiB instead of once per 1.5 KiB). Not negotiated:
 * GUEST_TSO6 (the stack is IPv4-only), transmit segmentation offloads, control and multi-queue.
 *
 * <p>Single-threaded: {@link #receive} and {@link #transmit} run on the CPU loop that owns the
 * device. Device errors are counted (here and in each queue's {@link VirtqueueCounters}) and
 * never thrown; a broken queue stops the device's traffic in that direction.
 */
public final class VirtioNetDevice implements NetDevice {
    /** Features this driver can use. */
    public static final long SUPPORTED_FEATURES = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX
            | VirtioFeatures.NET_MAC | VirtioFeatures.NET_STATUS | VirtioFeatures.NET_MTU | VirtioFeatures.NET_MRG_RXBUF
            | VirtioFeatures.NET_GUEST_CSUM | VirtioFeatures.NET_CSUM | VirtioFeatures.NET_GUEST_TSO4;
    /** Payload MTU when the device does not report one. */
    public static final int DEFAULT_MTU = 1500;
    private static final int ETHERNET_HEADER = 14;
    /** An IEEE 802.1Q tag the device may leave in a received frame. */
    private static final int VLAN_TAG = 4;
    /**
     * The largest frame with receive segmentation offload: an IPv4 packet of at most 65,535
     * bytes (its total length field), with Ethernet header and VLAN tag.
     */
    static final int MAX_LARGE_FRAME = 65_535 + ETHERNET_HEADER + VLAN_TAG;
    /** Bytes of one receive or transmit buffer: header plus the largest frame, rounded up. */
    static final int BUFFER_BYTES = 2048;
    private static final int CONFIG_READ_ATTEMPTS = 16;

    private final String name;
    private final VirtioTransport transport;
    private final DmaRegionTranslator translator = new DmaRegionTranslator();
    private final VirtioNetCounters counters = new VirtioNetCounters();
    private final long features;
    /** VIRTIO_NET_F_GUEST_CSUM: received headers may say the checksum needs no verification. */
    private final boolean guestChecksum;
    /** VIRTIO_NET_F_CSUM: the device completes partial checksums of transmitted frames. */
    private final boolean deviceChecksum;
    /** GUEST_TSO4: received frames may be larger than the MTU allows. */
    private final boolean largeReceive;
    private final byte[] mac;
    private final int mtu;
    private VirtqueueSplit rxQueue;
    private VirtqueueSplit txQueue;
    private MemorySegment rxPool;
    private MemorySegment txPool;
    private Integer[] rxTokens;
    private Integer[] txTokens;
    private int[] txFreeSlots;
    private int txFreeCount;
    private final MemorySegment[] oneBuffer = new MemorySegment[1];
    private FrameSink currentSink;
    private int framesThisPass;
    /** Gathers multi-buffer packets; null unless VIRTIO_NET_F_MRG_RXBUF was negotiated. */
    private MergedFrameAssembler assembler;
    /** Called when a frame may have arrived (an interrupt); null: none. */
    private volatile Runnable receiveListener;
    /** Interrupts reach us ({@link #interruptHandler}); false: poll mode only. */
    private volatile boolean interruptsDelivered;
    /** The receive queue's notifications are armed (owner-only). */
    private boolean receiveArmed;
    private final VirtqueueSplit.CompletionSink rxCompletion = this::onReceived;
    private final VirtqueueSplit.CompletionSink txCompletion = (token, length) -> txFreeSlots[txFreeCount++] = (Integer) token;

    private VirtioNetDevice(String name, VirtioTransport transport, long features, byte[] fallbackMac) {
        this.name = name;
        this.transport = transport;
        this.features = features;
        this.guestChecksum = VirtioFeatures.has(features, VirtioFeatures.NET_GUEST_CSUM);
        this.deviceChecksum = VirtioFeatures.has(features, VirtioFeatures.NET_CSUM);
        this.largeReceive = VirtioFeatures.has(features, VirtioFeatures.NET_GUEST_TSO4);
        byte[] configMac = VirtioFeatures.has(features, VirtioFeatures.NET_MAC) ? readMac(transport) : null;
        this.mac = configMac != null ? configMac : fallbackMac.clone();
        int configMtu = VirtioFeatures.has(features, VirtioFeatures.NET_MTU) ? transport.readConfig16(VirtioNetConfig.MTU_OFFSET) : 0;
        // A reported MTU is honoured up to what our fixed-size buffers hold.
        this.mtu = configMtu >= 68 ? Math.min(configMtu, BUFFER_BYTES - VirtioNetHeader.LENGTH - ETHERNET_HEADER) : DEFAULT_MTU;
    }

    /**
     * Initialises the device behind {@code transport} (section 3.1.1), sets up its queues with at
     * most {@code maxQueueSize} entries each and fills the receive queue.
     *
     * @param fallbackMac used when the device has no MAC (VIRTIO_NET_F_MAC not offered); 6 bytes
     * @throws IOException naming the {@link VirtioDeviceInit.Outcome} when the device cannot be driven
     * @throws IllegalArgumentException for a bad MAC or queue size limit
     */
    public static VirtioNetDevice open(String name, VirtioTransport transport, DmaMemory memory, int maxQueueSize, byte[] fallbackMac)
            throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(memory, "memory");
        if (fallbackMac == null || fallbackMac.length != 6) {
            throw new IllegalArgumentException("fallbackMac must be 6 bytes");
        }
        VirtqueueDescriptor.checkQueueSize(maxQueueSize);
        VirtioNetDevice[] created = new VirtioNetDevice[1];
        var result = VirtioDeviceInit.initialise(transport, SUPPORTED_FEATURES, 0, VirtioNetDevice::withPrerequisites, (t, negotiated) -> {
            if (t.queueCount() < 2) {
                return false;
            }
            VirtioNetDevice device = new VirtioNetDevice(name, t, negotiated, fallbackMac);
            created[0] = device;
            return device.setUpQueues(memory, maxQueueSize);
        });
        if (!result.ready()) {
            if (created[0] != null) {
                created[0].translator.closeAll();
            }
            throw new IOException(name + ": virtio-net initialisation failed: " + result.outcome());
        }
        VirtioNetDevice device = created[0];
        // Step 8 done: the device may now use the receive buffers; tell it they are there.
        device.publishAndNotify(device.rxQueue, VirtioNetConfig.RECEIVE_QUEUE);
        return device;
    }

    /**
     * Drops receive segmentation offload when a bit it needs is missing: section 5.1.3.1 (the
     * driver must not negotiate GUEST_TSO4 without GUEST_CSUM), and MRG_RXBUF, without which
     * every receive buffer would have to hold 64 KiB (section 5.1.6.3.1).
     */
    static long withPrerequisites(long features) {
        long needed = VirtioFeatures.NET_GUEST_CSUM | VirtioFeatures.NET_MRG_RXBUF;
        return (features & needed) == needed ? features : features & ~VirtioFeatures.NET_GUEST_TSO4;
    }

    private boolean setUpQueues(DmaMemory memory, int maxQueueSize) {
        int rxSize = queueSize(VirtioNetConfig.RECEIVE_QUEUE, maxQueueSize);
        int txSize = queueSize(VirtioNetConfig.TRANSMIT_QUEUE, maxQueueSize);
        if (rxSize == 0 || txSize == 0) {
            return false;
        }
        boolean eventIndex = VirtioFeatures.has(features, VirtioFeatures.RING_EVENT_IDX);
        rxQueue = createQueue(memory, VirtioNetConfig.RECEIVE_QUEUE, rxSize, eventIndex);
        txQueue = createQueue(memory, VirtioNetConfig.TRANSMIT_QUEUE, txSize, eventIndex);
        // Poll mode: ask the device not to interrupt in either direction.
        rxQueue.disableInterrupts();
        txQueue.disableInterrupts();
        rxPool = translator.register(memory.allocate((long) rxSize * BUFFER_BYTES, 4096)).segment();
        txPool = translator.register(memory.allocate((long) txSize * BUFFER_BYTES, 4096)).segment();
        if (VirtioFeatures.has(features, VirtioFeatures.NET_MRG_RXBUF)) {
            assembler = new MergedFrameAssembler(largeReceive ? MAX_LARGE_FRAME : mtu + ETHERNET_HEADER + VLAN_TAG, rxSize);
        }
        rxTokens = new Integer[rxSize];
        for (int i = 0; i < rxSize; i++) {
            rxTokens[i] = i;
            postReceiveBuffer(i);
        }
        txTokens = new Integer[txSize];
        txFreeSlots = new int[txSize];
        for (int i = 0; i < txSize; i++) {
            txTokens[i] = i;
            txFreeSlots[i] = txSize - 1 - i;
        }
        txFreeCount = txSize;
        return true;
    }

    /** The largest power of two not above the device's and our limit; 0 if the queue is absent. */
    private int queueSize(int queue, int maxQueueSize) {
        int deviceMax = transport.queueMaxSize(queue);
        if (deviceMax <= 0) {
            return 0;
        }
        return Integer.highestOneBit(Math.min(Math.min(deviceMax, maxQueueSize), VirtqueueDescriptor.MAX_QUEUE_SIZE));
    }

    private VirtqueueSplit createQueue(DmaMemory memory, int queue, int size, boolean eventIndex) {
        var desc = translator.register(memory.allocate(VirtqueueDescriptor.descriptorTableBytes(size), 4096));
        var avail = translator.register(memory.allocate(VirtqueueDescriptor.availRingBytes(size), 4096));
        var used = translator.register(memory.allocate(VirtqueueDescriptor.usedRingBytes(size), 4096));
        var vq = new VirtqueueSplit(size, desc.segment(), avail.segment(), used.segment(), translator, eventIndex);
        transport.setupQueue(queue, size, desc.deviceAddress(), avail.deviceAddress(), used.deviceAddress());
        transport.enableQueue(queue);
        return vq;
    }

    private static byte[] readMac(VirtioTransport transport) {
        // Section 2.5.1: a multi-byte config field is consistent only if the generation counter
        // is unchanged across the reads; retry a bounded number of times.
        byte[] mac = new byte[VirtioNetConfig.MAC_LENGTH];
        for (int attempt = 0; attempt < CONFIG_READ_ATTEMPTS; attempt++) {
            int before = transport.configGeneration();
            for (int i = 0; i < mac.length; i++) {
                mac[i] = (byte) transport.readConfig8(VirtioNetConfig.MAC_OFFSET + i);
            }
            if (transport.configGeneration() == before) {
                return mac;
            }
        }
        return null;
    }

    private void postReceiveBuffer(int slot) {
        oneBuffer[0] = rxPool.asSlice((long) slot * BUFFER_BYTES, BUFFER_BYTES);
        // Cannot be NO_SPACE: there are exactly as many receive buffers as descriptors. BROKEN
        // leaves the buffer idle; the queue is dead anyway.
        rxQueue.add(oneBuffer, 0, 1, rxTokens[slot]);
    }

    private void publishAndNotify(VirtqueueSplit queue, int index) {
        if (queue.publish()) {
            transport.notifyQueue(index);
            counters.notifications.increment();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] macAddress() {
        return mac.clone();
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean linkUp() {
        if (!VirtioFeatures.has(features, VirtioFeatures.NET_STATUS)) {
            return true; // section 5.1.4: without VIRTIO_NET_F_STATUS the link is assumed up
        }
        return (transport.readConfig16(VirtioNetConfig.STATUS_OFFSET) & VirtioNetConfig.STATUS_LINK_UP) != 0;
    }

    /**
     * Says that the device's interrupts now reach a thread that calls {@link #interruptHandler()}
     * for each (uio, see {@code UioInterrupt}): from now on {@link #armReceiveWakeup()} arms the
     * receive queue's notifications and the receive listener is called for them.
     *
     * @return the handler: acknowledges the interrupt (reads the ISR status, VIRTIO 1.2 section
     *         4.1.4.5: the read resets it and de-asserts the legacy interrupt) and calls the
     *         receive listener. Runs on the interrupt thread, touching no queue.
     */
    public Runnable useInterrupts() {
        // A line the device raised before anyone listened (INTx is level-triggered) may be high
        // already: with no new edge the interrupt controller might never deliver it. Reading
        // the ISR status lowers it, so the next interrupt starts from a clean line.
        transport.readInterruptStatus();
        interruptsDelivered = true;
        return this::interruptHandler;
    }

    /** The interrupt thread stopped (its file failed): back to poll mode, and a last wakeup. */
    public void interruptsLost() {
        interruptsDelivered = false;
        Runnable listener = receiveListener;
        if (listener != null) {
            listener.run();
        }
    }

    private void interruptHandler() {
        transport.readInterruptStatus();
        counters.interrupts.increment();
        Runnable listener = receiveListener;
        if (listener != null) {
            listener.run();
        }
    }

    @Override
    public void setReceiveListener(Runnable listener) {
        receiveListener = listener;
    }

    /**
     * {@inheritDoc} Only once an interrupt has actually arrived: a platform that routes the
     * device's INTx nowhere (seen under QEMU q35: the status register said INTx pending, the
     * kernel's handler never ran) would otherwise leave the poller asleep on frames nobody
     * announces. Until then {@link #armReceiveWakeup()} still arms, so the first interrupt can come.
     */
    @Override
    public boolean receiveWakeupSupported() {
        return interruptsDelivered && counters.interrupts() > 0 && !rxQueue.isBroken();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Enables the receive queue's notifications (clears {@code VIRTQ_AVAIL_F_NO_INTERRUPT}, or
     * moves {@code used_event} to the next used index with EVENT_IDX) and then looks at the used
     * ring again: a frame the device placed while notifications were off announced itself to
     * nobody, and sleeping on it would wait for the next one (section 2.7.10's race).
     */
    @Override
    public boolean armReceiveWakeup() {
        if (!interruptsDelivered) {
            return false;
        }
        receiveArmed = true;
        counters.receiveArms.increment();
        return rxQueue.enableInterrupts();
    }

    @Override
    public int receive(FrameSink sink, int budget) {
        if (receiveArmed) {
            // NAPI: the CPU polls now, so the device need not interrupt until it sleeps again.
            receiveArmed = false;
            rxQueue.disableInterrupts();
        }
        currentSink = sink;
        framesThisPass = 0;
        try {
            if (rxQueue.drain(rxCompletion, budget) > 0) {
                // Buffers were re-posted: make them visible (and notify if the device asked).
                publishAndNotify(rxQueue, VirtioNetConfig.RECEIVE_QUEUE);
            }
            if (assembler != null && assembler.inProgress() && !rxQueue.hasPendingCompletions()) {
                // Devices (QEMU, vhost) put all buffers of a packet in the used ring before they
                // move the used idx, and Linux's driver drops a packet whose buffers are not all
                // there; so do we: a packet still short of buffers once the used ring is empty
                // announced more than it has. A drain cut short by the budget leaves buffers
                // pending, and the packet waits for the next pass.
                if (assembler.reset()) {
                    counters.rxErrors.increment();
                }
            }
            return framesThisPass;
        } finally {
            currentSink = null;
        }
    }

    private void onReceived(Object token, int writtenBytes) {
        int slot = (Integer) token;
        MemorySegment buffer = rxPool.asSlice((long) slot * BUFFER_BYTES, BUFFER_BYTES);
        try {
            if (assembler != null) {
                onMergeableBuffer(buffer, writtenBytes);
            } else if (writtenBytes < VirtioNetHeader.LENGTH) {
                counters.rxErrors.increment(); // LENGTH_INVALID, or not even a header
            } else {
                deliver(buffer.asSlice(VirtioNetHeader.LENGTH, writtenBytes - VirtioNetHeader.LENGTH),
                        LittleEndianMemory.getU8(buffer, VirtioNetHeader.FLAGS_OFFSET));
            }
        } finally {
            // The frame was valid only during onFrame (or has been copied): the buffer goes
            // straight back to the device.
            postReceiveBuffer(slot);
        }
    }

    /** VIRTIO_NET_F_MRG_RXBUF: the buffer is one part of a packet of num_buffers parts (5.1.6.4). */
    private void onMergeableBuffer(MemorySegment buffer, int writtenBytes) {
        switch (assembler.accept(buffer, writtenBytes)) {
            case FRAME_READY -> {
                if (assembler.segmented()) {
                    counters.rxLargeSegments.increment();
                }
                deliver(assembler.frame(), assembler.headerFlags());
            }
            case DROPPED -> counters.rxErrors.increment();
            case NEED_MORE, SKIPPED -> {
            }
        }
    }

    private void deliver(MemorySegment frame, int headerFlags) {
        if (frame.byteSize() < ETHERNET_HEADER) {
            counters.rxErrors.increment(); // too short to be a frame
            return;
        }
        counters.rxFrames.increment();
        framesThisPass++;
        counters.rxBytes.add(frame.byteSize());
        // Section 5.1.6.4 (VIRTIO_NET_F_GUEST_CSUM): DATA_VALID says the device checked the
        // packet's checksum; NEEDS_CSUM says it comes from a local sender that left the checksum
        // to be completed (only the pseudo-header sum is in the field) and is to be treated as
        // valid. Either way the stack need not verify it. Without the feature the flags are
        // zero; and without either flag the driver must not rely on the checksum.
        if (guestChecksum && (headerFlags & (VirtioNetHeader.FLAG_DATA_VALID | VirtioNetHeader.FLAG_NEEDS_CSUM)) != 0) {
            counters.rxChecksumTrusted.increment();
            currentSink.onFrame(frame, true);
        } else {
            currentSink.onFrame(frame);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a frame shorter than an Ethernet header or longer than
     *         the MTU allows
     */
    @Override
    public boolean transmit(MemorySegment frame) {
        return transmit(frame, 0, 0, 0);
    }

    /** True when VIRTIO_NET_F_CSUM was negotiated: the device completes partial checksums. */
    @Override
    public boolean transmitChecksumOffload() {
        return deviceChecksum;
    }

    /**
     * {@inheritDoc}
     *
     * <p>With VIRTIO_NET_F_CSUM the header says NEEDS_CSUM with {@code csum_start} and
     * {@code csum_offset} (section 5.1.6.2) and the device computes the checksum; without it the
     * checksum is completed in software first.
     *
     * @throws IllegalArgumentException as {@link #transmit(MemorySegment)}, or when the checksum
     *         field is not inside the frame
     */
    @Override
    public boolean transmit(MemorySegment frame, int checksumStart, int checksumOffset) {
        if (!deviceChecksum) {
            return NetDevice.super.transmit(frame, checksumStart, checksumOffset);
        }
        if (checksumStart < 0 || checksumOffset < 0 || (long) checksumStart + checksumOffset + 2 > frame.byteSize()) {
            // Section 5.1.6.2: the device stores the checksum at csum_start + csum_offset, which
            // must therefore lie inside the packet.
            throw new IllegalArgumentException("checksum field at " + checksumStart + "+" + checksumOffset
                    + " is outside the " + frame.byteSize() + "-byte frame");
        }
        return transmit(frame, VirtioNetHeader.FLAG_NEEDS_CSUM, checksumStart, checksumOffset);
    }

    private boolean transmit(MemorySegment frame, int headerFlags, int checksumStart, int checksumOffset) {
        long bytes = frame.byteSize();
        if (bytes < ETHERNET_HEADER || bytes > mtu + ETHERNET_HEADER) {
            throw new IllegalArgumentException("frame length must be in [14, " + (mtu + ETHERNET_HEADER) + "]: " + bytes);
        }
        reclaimTransmitted();
        if (txQueue.isBroken()) {
            counters.txDropped.increment(); // dropped like a lossy link: refusing would make callers retry forever
            return true;
        }
        if (txFreeCount == 0) {
            counters.txQueueFull.increment();
            return false;
        }
        int slot = txFreeSlots[--txFreeCount];
        MemorySegment buffer = txPool.asSlice((long) slot * BUFFER_BYTES, VirtioNetHeader.LENGTH + bytes);
        // Section 5.1.6.2: no segmentation (GSO_NONE, gso_size and hdr_len 0), num_buffers 0 (the
        // driver must zero it); flags 0 or NEEDS_CSUM with where the checksum goes.
        buffer.asSlice(0, VirtioNetHeader.LENGTH).fill((byte) 0);
        if (headerFlags != 0) {
            LittleEndianMemory.putU8(buffer, VirtioNetHeader.FLAGS_OFFSET, headerFlags);
            LittleEndianMemory.putU16(buffer, VirtioNetHeader.CSUM_START_OFFSET, checksumStart);
            LittleEndianMemory.putU16(buffer, VirtioNetHeader.CSUM_OFFSET_OFFSET, checksumOffset);
            counters.txChecksumOffloaded.increment();
        }
        MemorySegment.copy(frame, 0, buffer, VirtioNetHeader.LENGTH, bytes);
        oneBuffer[0] = buffer;
        int head = txQueue.add(oneBuffer, 1, 0, txTokens[slot]);
        if (head < 0) {
            txFreeSlots[txFreeCount++] = slot;
            counters.txDropped.increment();
            return true;
        }
        counters.txFrames.increment();
        counters.txBytes.add(bytes);
        publishAndNotify(txQueue, VirtioNetConfig.TRANSMIT_QUEUE);
        return true;
    }

    /** Takes back transmit buffers the device has finished with; returns how many. */
    public int reclaimTransmitted() {
        return txQueue.drain(txCompletion, Integer.MAX_VALUE);
    }

    /** The features negotiated with the device. */
    public long negotiatedFeatures() {
        return features;
    }

    public VirtioNetCounters counters() {
        return counters;
    }

    public VirtqueueCounters receiveQueueCounters() {
        return rxQueue.counters();
    }

    public VirtqueueCounters transmitQueueCounters() {
        return txQueue.counters();
    }

    /** Resets the device (it stops using our memory) and releases the DMA memory. */
    public void close() {
        transport.reset();
        translator.closeAll();
    }
}
