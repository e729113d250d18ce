package dev.libos.hw.vmxnet3;

import dev.libos.hw.pci.LittleEndianMemory;
import static dev.libos.hw.vmxnet3.Vmxnet3Registers.*;
import static dev.libos.hw.vmxnet3.Vmxnet3SharedLayout.*;

import dev.libos.api.device.DmaMemory;
import dev.libos.api.device.NetDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/**
 * A vmxnet3 NIC (VMware's paravirtual Ethernet, revision 1 of the ABI in {@code vmxnet3_defs.h};
 * QEMU's {@code -device vmxnet3}), poll-mode, one transmit and one receive queue.
 *
 * <p>Bring-up: select revision 1 in VRRS and UPT version 1 in UVRS, reset, build the
 * {@code Vmxnet3_DriverShared} area and the queue descriptor table in DMA memory, fill rx ring 1,
 * give the shared area's address to DSAL/DSAH and issue ACTIVATE_DEV (the device answers 0 on
 * success). Interrupts are disabled ({@code intrCtrl} DISABLE_ALL, IMR masked): the CPU loop
 * polls. No offloads are asked for ({@code uptFeatures} 0): frames carry full checksums, no
 * VLAN stripping, no LRO, no RSS. The receive filter passes unicast to our MAC and broadcast.
 *
 * <p>Single-threaded: {@link #receive} and {@link #transmit} run on the CPU loop that owns the
 * device. Commands (link state, statistics, close) are serialised among themselves and may be
 * issued from any thread. Nothing the device writes is trusted: malformed completions are
 * counted in {@link Vmxnet3Counters} and dropped, never thrown; a device that stops completing
 * makes {@link #transmit} return false and {@link #receive} return 0, nothing waits for it.
 */
public final class Vmxnet3NetDevice implements NetDevice {
    /** Bytes of each receive and transmit buffer: the largest frame (1514, 1518 with a VLAN tag), rounded up. */
    public static final int BUFFER_BYTES = 2048;
    /** The MTU given to the device and reported. */
    public static final int MTU = 1500;
    private static final int ETHERNET_HEADER = 14;
    /** Ring 2 is never used; it gets the smallest legal size and stays empty (all gen bits 0). */
    static final int RX_RING2_SIZE = Vmxnet3RingLayout.RING_SIZE_MULTIPLE;
    /** Our {@code driverInfo.version}: any value; the device only records it. */
    static final int DRIVER_VERSION_VALUE = 0x00010000;

    private final String name;
    private final RegisterWindow bar0;
    private final RegisterWindow bar1;
    private final List<DmaMemory.DmaBuffer> allocations;
    private final MemorySegment shared;
    private final MemorySegment queueDescriptors;
    private final Vmxnet3TxQueue tx;
    private final Vmxnet3RxQueue rx;
    private final Vmxnet3Counters counters;
    private final byte[] mac;
    /** Frames posted since the last TXPROD write (mirrored in {@code txNumDeferred}). */
    private int txDeferred;
    private boolean closed;

    private Vmxnet3NetDevice(String name, RegisterWindow bar0, RegisterWindow bar1, Vmxnet3SharedArea area,
                             byte[] fallbackMac) {
        this.name = name;
        this.bar0 = bar0;
        this.bar1 = bar1;
        this.allocations = area.allocations();
        this.shared = area.shared();
        this.queueDescriptors = area.queueDescriptors();
        this.tx = area.tx();
        this.rx = area.rx();
        this.counters = area.counters();
        byte[] current = macFrom(bar1.read32(MACL), bar1.read32(MACH));
        this.mac = current != null ? current : fallbackMac.clone();
    }

    /**
     * Brings the device behind {@code bar0} / {@code bar1} up with rings of {@code ringSize}
     * entries, buffers and rings in {@code memory}.
     *
     * @param ringSize entries of the tx ring and of rx ring 1: a multiple of 32 in [32, 4096]
     * @param fallbackMac used when the device reports no usable MAC; 6 bytes
     * @throws IOException when the device speaks no revision we know or refuses activation;
     *         the device is reset and the memory released
     * @throws IllegalArgumentException for a bad ring size or MAC
     */
    public static Vmxnet3NetDevice open(String name, RegisterWindow bar0, RegisterWindow bar1, DmaMemory memory,
                                        int ringSize, byte[] fallbackMac) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(memory, "memory");
        Vmxnet3RingLayout.checkRingSize(ringSize);
        if (fallbackMac == null || fallbackMac.length != 6) {
            throw new IllegalArgumentException("fallbackMac must be 6 bytes");
        }
        negotiate(bar1, VRRS, REVISION_1, "revision (VRRS)");
        negotiate(bar1, UVRS, UPT_VERSION_1, "UPT version (UVRS)");
        bar1.write32(CMD, CMD_RESET_DEV);
        Vmxnet3SharedArea area = Vmxnet3SharedArea.allocate(memory, ringSize, RX_RING2_SIZE, MTU);
        try {
            area.rx().fill();
            long address = area.sharedDeviceAddress();
            bar1.write32(DSAL, (int) address);
            bar1.write32(DSAH, (int) (address >>> 32));
            // The device reads the whole shared area and the queue descriptors now; the volatile
            // register writes above were ordered after every plain store into that memory.
            bar1.write32(CMD, CMD_ACTIVATE_DEV);
            int status = bar1.read32(CMD);
            if (status != 0) {
                throw new IOException(name + ": vmxnet3 refused ACTIVATE_DEV (status " + status + ")");
            }
            Vmxnet3NetDevice device = new Vmxnet3NetDevice(name, bar0, bar1, area, fallbackMac);
            device.start();
            return device;
        } catch (IOException | RuntimeException e) {
            bar1.write32(CMD, CMD_RESET_DEV);
            area.release();
            throw e;
        }
    }

    /** Reads a version report register and selects {@code wanted}, which it must offer. */
    private static void negotiate(RegisterWindow bar1, int register, int wanted, String what) throws IOException {
        int offered = bar1.read32(register);
        if ((offered & wanted) == 0) {
            throw new IOException(String.format("vmxnet3: the device offers no %s this driver speaks: 0x%x (need bit 0x%x)",
                    what, offered, wanted));
        }
        bar1.write32(register, wanted);
    }

    private void start() {
        // Ring 1 is full: tell the device where our producer index stands (it may ignore it:
        // QEMU reads descriptors by their gen bits alone). Ring 2 stays empty.
        bar0.write32(perQueue(RXPROD, 0), rx.producerIndex());
        bar0.write32(perQueue(RXPROD2, 0), 0);
        counters.rxDoorbells.increment();
        command(CMD_UPDATE_RX_MODE);
        bar0.write32(perQueue(IMR, 0), IMR_MASKED);
    }

    /** Issues a command and returns the device's answer (the following read of CMD). */
    private synchronized int command(int code) {
        bar1.write32(CMD, code);
        return bar1.read32(CMD);
    }

    /** A unicast MAC from the MACL/MACH register pair, or null for all-zero or multicast. */
    static byte[] macFrom(int low, int high) {
        byte[] mac = {(byte) low, (byte) (low >>> 8), (byte) (low >>> 16), (byte) (low >>> 24),
                (byte) high, (byte) (high >>> 8)};
        boolean zero = low == 0 && (high & 0xffff) == 0;
        boolean multicast = (mac[0] & 1) != 0;
        return zero || multicast ? null : mac;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] macAddress() {
        return mac.clone();
    }

    /** The device's permanent MAC ({@code GET_PERM_MAC_LO/HI}), or null if it reports none usable. */
    public byte[] permanentMacAddress() {
        synchronized (this) {
            return macFrom(command(CMD_GET_PERM_MAC_LO), command(CMD_GET_PERM_MAC_HI));
        }
    }

    @Override
    public int mtu() {
        return MTU;
    }

    /** Asks the device ({@code GET_LINK}, bit 0); two register accesses, not for a hot path. */
    @Override
    public boolean linkUp() {
        return (command(CMD_GET_LINK) & LINK_UP) != 0;
    }

    /** The link speed the device reports in Mbit/s (0 when down or unknown). */
    public int linkSpeedMbps() {
        return command(CMD_GET_LINK) >>> LINK_SPEED_SHIFT;
    }

    @Override
    public int receive(FrameSink sink, int budget) {
        // A transmit left deferred below the device's threshold goes out at the next poll at the
        // latest, so a threshold above 1 never strands a frame.
        if (txDeferred > 0) {
            ringTransmitDoorbell();
        }
        int delivered = rx.drain(sink, budget);
        if (rx.takeReposted() > 0 && deviceWantsRxProducer()) {
            // The re-posted descriptors were published with release stores; the volatile
            // register write below cannot overtake them.
            bar0.write32(perQueue(RXPROD, 0), rx.producerIndex());
            counters.rxDoorbells.increment();
        }
        return delivered;
    }

    /** {@code Vmxnet3_RxQueueCtrl.updateRxProd}: the device asks to hear of refills (QEMU never does). */
    private boolean deviceWantsRxProducer() {
        return (LittleEndianMemory.getI32Acquire(queueDescriptors, Vmxnet3SharedArea.RX_QUEUE_DESC + RXQ_UPDATE_RX_PROD) & 0xff) != 0;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a frame shorter than an Ethernet header or longer than the MTU allows
     */
    @Override
    public boolean transmit(MemorySegment frame) {
        long bytes = frame.byteSize();
        if (bytes < ETHERNET_HEADER || bytes > MTU + ETHERNET_HEADER) {
            throw new IllegalArgumentException("frame length must be in [14, " + (MTU + ETHERNET_HEADER) + "]: " + bytes);
        }
        tx.reclaim();
        if (tx.isFull()) {
            counters.txQueueFull.increment();
            if (txDeferred > 0) {
                ringTransmitDoorbell(); // whatever is deferred must reach the device to ever complete
            }
            return false;
        }
        tx.post(frame);
        counters.txFrames.increment();
        counters.txBytes.add(bytes);
        txDeferred++;
        LittleEndianMemory.putI32(queueDescriptors, Vmxnet3SharedArea.TX_QUEUE_DESC + TXQ_NUM_DEFERRED, txDeferred);
        if (txDeferred >= transmitThreshold()) {
            ringTransmitDoorbell();
        }
        return true;
    }

    /**
     * {@code Vmxnet3_TxQueueCtrl.txThreshold}, written by the device at activation (QEMU: 1):
     * how many frames the driver may batch per TXPROD write. Clamped to [1, ring size].
     */
    private int transmitThreshold() {
        int threshold = LittleEndianMemory.getI32Acquire(queueDescriptors, Vmxnet3SharedArea.TX_QUEUE_DESC + TXQ_THRESHOLD);
        return Math.clamp(threshold, 1, tx.size());
    }

    private void ringTransmitDoorbell() {
        txDeferred = 0;
        LittleEndianMemory.putI32(queueDescriptors, Vmxnet3SharedArea.TX_QUEUE_DESC + TXQ_NUM_DEFERRED, 0);
        // Ordering point: the descriptors' gen words were release-stored; this volatile MMIO
        // write is ordered after them, so the device finds them when the doorbell makes it look.
        bar0.write32(perQueue(TXPROD, 0), tx.producerIndex());
        counters.txDoorbells.increment();
    }

    /** Takes back transmit descriptors the device has completed; returns how many. */
    public int reclaimTransmitted() {
        return tx.reclaim();
    }

    /** Transmit descriptors handed to the device and not yet completed. */
    public int transmitsInFlight() {
        return tx.inFlight();
    }

    public Vmxnet3Counters counters() {
        return counters;
    }

    /** Asks the device for its queue status and statistics (two commands; not for a hot path). */
    public synchronized Vmxnet3DeviceStatistics deviceStatistics() {
        command(CMD_GET_QUEUE_STATUS);
        command(CMD_GET_STATS);
        // The device wrote status and counters before its answer to the command read; the
        // plain reads below come after that volatile register read.
        int t = Vmxnet3SharedArea.TX_QUEUE_DESC;
        int r = Vmxnet3SharedArea.RX_QUEUE_DESC;
        // UPT1 counters: 0-1 TSO/LRO, 2-7 unicast/multicast/broadcast frames and bytes, 8-9 errors.
        return new Vmxnet3DeviceStatistics(
                stat(t + TXQ_STATS, 2) + stat(t + TXQ_STATS, 4) + stat(t + TXQ_STATS, 6),
                stat(t + TXQ_STATS, 3) + stat(t + TXQ_STATS, 5) + stat(t + TXQ_STATS, 7),
                stat(t + TXQ_STATS, 8), stat(t + TXQ_STATS, 9),
                stat(r + RXQ_STATS, 2) + stat(r + RXQ_STATS, 4) + stat(r + RXQ_STATS, 6),
                stat(r + RXQ_STATS, 3) + stat(r + RXQ_STATS, 5) + stat(r + RXQ_STATS, 7),
                stat(r + RXQ_STATS, 8), stat(r + RXQ_STATS, 9),
                (LittleEndianMemory.getI32(queueDescriptors, t + TXQ_STOPPED) & 0xff) != 0,
                LittleEndianMemory.getI32(queueDescriptors, t + TXQ_ERROR),
                (LittleEndianMemory.getI32(queueDescriptors, r + RXQ_STOPPED) & 0xff) != 0,
                LittleEndianMemory.getI32(queueDescriptors, r + RXQ_ERROR));
    }

    /** Counter {@code index} of the UPT1 stats block at {@code statsOffset} in the queue descriptor table. */
    private long stat(int statsOffset, int index) {
        return LittleEndianMemory.getI64(queueDescriptors, statsOffset + 8L * index);
    }

    /**
     * Quiesces and resets the device (it stops using our memory: both are synchronous register
     * writes), then releases the DMA memory. Idempotent.
     */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        bar1.write32(CMD, CMD_QUIESCE_DEV);
        bar1.write32(CMD, CMD_RESET_DEV);
        bar1.write32(DSAL, 0);
        bar1.write32(DSAH, 0);
        for (DmaMemory.DmaBuffer buffer : allocations) {
            buffer.close();
        }
        allocations.clear();
    }

    /** The shared area (for tests that inspect what the device was told). */
    MemorySegment sharedArea() {
        return shared;
    }

    @Override
    public String toString() {
        return "Vmxnet3NetDevice[" + name + ", " + counters + "]";
    }
}
