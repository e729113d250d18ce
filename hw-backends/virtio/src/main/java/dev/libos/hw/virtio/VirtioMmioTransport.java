package dev.libos.hw.virtio;

import static dev.libos.hw.virtio.VirtioMmioRegisters.*;

import java.io.IOException;
import java.util.Objects;

/**
 * The virtio-mmio transport, version 2 (VIRTIO 1.2 section 4.2): one register block (layout in
 * {@link VirtioMmioRegisters}) holding everything the PCI transport spreads over four structures.
 * QEMU's microvm machine and Firecracker put their devices behind it. The drivers
 * ({@link VirtioNetDevice}, {@link VirtioBlkDevice}) run on it unchanged.
 *
 * <p>Every access below the configuration is a 32-bit aligned load or store (section 4.2.2.2);
 * {@link DeviceRegisters} makes each one volatile, so they reach the device in program order.
 * Single-threaded, like the drivers: {@code QueueSel} and the feature selects are device state
 * shared by consecutive accesses.
 */
public final class VirtioMmioTransport implements VirtioTransport {
    /** Reads of Status after a reset before giving up (section 2.4). */
    static final int RESET_POLLS = 100_000;
    /**
     * Most queues {@link #queueCount()} looks for. The layout has no queue count, so queues are
     * counted until QueueNumMax reads 0; QEMU's limit (VIRTIO_QUEUE_MAX) is 1024, and the bound
     * keeps a device that never reads 0 from holding the driver.
     */
    static final int MAX_QUEUES = 1024;

    private final DeviceRegisters registers;
    private final VirtioMmioIdentity identity;
    private final long configBytes;

    private VirtioMmioTransport(DeviceRegisters registers, VirtioMmioIdentity identity) {
        this.registers = registers;
        this.identity = identity;
        this.configBytes = registers.byteSize() - CONFIG;
    }

    /**
     * Opens the transport whose registers are {@code registers} (the whole window, configuration
     * included), after checking what section 4.2.3.1.1 asks the driver to check first.
     *
     * @param where names the window in errors (its physical address, its kernel device name)
     * @throws IOException when the window is shorter than the register block, or holds no
     *         version 2 transport with a device: a wrong magic value, a legacy (version 1) or
     *         unknown version, or device id 0; the message says which
     */
    public static VirtioMmioTransport open(DeviceRegisters registers, String where) throws IOException {
        Objects.requireNonNull(registers, "registers");
        Objects.requireNonNull(where, "where");
        if (registers.byteSize() < CONFIG) {
            throw new IOException(where + ": a window of " + registers.byteSize() + " bytes cannot hold the virtio-mmio registers (0x"
                    + Integer.toHexString(CONFIG) + ")");
        }
        VirtioMmioIdentity identity = VirtioMmioIdentity.read(registers);
        if (identity.kind() != VirtioMmioIdentity.Kind.DEVICE) {
            throw new IOException(where + ": " + identity.describe());
        }
        return new VirtioMmioTransport(registers, identity);
    }

    /** The identity read at open: the device type is {@code identity().deviceId()}. */
    public VirtioMmioIdentity identity() {
        return identity;
    }

    @Override
    public long deviceFeatures() {
        registers.write32(DEVICE_FEATURES_SEL, 0);
        long low = Integer.toUnsignedLong(registers.read32(DEVICE_FEATURES));
        registers.write32(DEVICE_FEATURES_SEL, 1);
        long high = Integer.toUnsignedLong(registers.read32(DEVICE_FEATURES));
        return (high << 32) | low;
    }

    @Override
    public void writeDriverFeatures(long features) {
        registers.write32(DRIVER_FEATURES_SEL, 0);
        registers.write32(DRIVER_FEATURES, (int) features);
        registers.write32(DRIVER_FEATURES_SEL, 1);
        registers.write32(DRIVER_FEATURES, (int) (features >>> 32));
    }

    @Override
    public int readStatus() {
        // Status is a 32-bit register whose low byte holds the bits of section 2.1.
        return registers.read32(STATUS) & 0xff;
    }

    @Override
    public void writeStatus(int status) {
        registers.write32(STATUS, status & 0xff);
    }

    @Override
    public boolean reset() {
        registers.write32(STATUS, 0);
        // Section 2.4: before re-initialising, the driver waits for the status to read back 0.
        for (int poll = 0; poll < RESET_POLLS; poll++) {
            if ((registers.read32(STATUS) & 0xff) == 0) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** Queues 0, 1, ... up to the first whose QueueNumMax reads 0 (at most {@value #MAX_QUEUES}). */
    @Override
    public int queueCount() {
        int count = 0;
        while (count < MAX_QUEUES) {
            registers.write32(QUEUE_SEL, count);
            if (registers.read32(QUEUE_NUM_MAX) == 0) {
                break;
            }
            count++;
        }
        return count;
    }

    /**
     * {@inheritDoc} Also 0 for a queue that already reads ready: section 4.2.3.2 has the driver
     * check that a queue is not in use before setting it up, and after a reset none should be.
     */
    @Override
    public int queueMaxSize(int queue) {
        if (queue < 0 || queue >= MAX_QUEUES) {
            return 0;
        }
        registers.write32(QUEUE_SEL, queue);
        if (registers.read32(QUEUE_READY) != 0) {
            return 0;
        }
        // An unsigned 32-bit register; the drivers cap it at their own limits.
        return (int) Math.min(Integer.toUnsignedLong(registers.read32(QUEUE_NUM_MAX)), Integer.MAX_VALUE);
    }

    /**
     * {@inheritDoc} Section 4.2.3.2 steps 1 and 4-6: select the queue, write its size and the
     * three addresses (64-bit, as low and high halves).
     *
     * @throws IllegalArgumentException for a queue the device does not have (QueueNumMax 0)
     */
    @Override
    public void setupQueue(int queue, int size, long descriptorTableAddress, long availRingAddress, long usedRingAddress) {
        if (queue < 0 || queue >= MAX_QUEUES) {
            throw new IllegalArgumentException("queue must be in [0, " + MAX_QUEUES + "): " + queue);
        }
        registers.write32(QUEUE_SEL, queue);
        if (registers.read32(QUEUE_NUM_MAX) == 0) {
            throw new IllegalArgumentException("the device has no queue " + queue + " (QueueNumMax 0)");
        }
        registers.write32(QUEUE_NUM, size);
        write64(QUEUE_DESC_LOW, QUEUE_DESC_HIGH, descriptorTableAddress);
        write64(QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, availRingAddress);
        write64(QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, usedRingAddress);
    }

    private void write64(int lowOffset, int highOffset, long value) {
        registers.write32(lowOffset, (int) value);
        registers.write32(highOffset, (int) (value >>> 32));
    }

    @Override
    public void enableQueue(int queue) {
        registers.write32(QUEUE_SEL, queue);
        // Section 4.2.3.2 step 7. The volatile register writes of setupQueue happen before this
        // one: the device sees the queue's size and addresses before it sees the queue ready.
        registers.write32(QUEUE_READY, 1);
    }

    /**
     * {@inheritDoc} Without VIRTIO_F_NOTIFICATION_DATA the value written to QueueNotify is the
     * queue index (section 4.2.3.3). The ring updates it announces were made visible by the
     * virtqueue's release store and fence before the driver decided to notify.
     */
    @Override
    public void notifyQueue(int queue) {
        registers.write32(QUEUE_NOTIFY, queue);
    }

    /**
     * {@inheritDoc} MMIO's InterruptStatus is not cleared by reading it: the bits read are
     * acknowledged through InterruptACK (section 4.2.2, 4.2.3.4), which gives the same
     * read-and-clear behaviour as PCI's ISR byte.
     */
    @Override
    public int readInterruptStatus() {
        int status = registers.read32(INTERRUPT_STATUS);
        if (status != 0) {
            registers.write32(INTERRUPT_ACK, status);
        }
        return status & 0x3;
    }

    @Override
    public int configGeneration() {
        return registers.read32(CONFIG_GENERATION);
    }

    @Override
    public int readConfig8(int offset) {
        checkConfig(offset, 1);
        return registers.read8(CONFIG + offset);
    }

    @Override
    public int readConfig16(int offset) {
        checkConfig(offset, 2);
        return registers.read16(CONFIG + offset);
    }

    @Override
    public int readConfig32(int offset) {
        checkConfig(offset, 4);
        return registers.read32(CONFIG + offset);
    }

    private void checkConfig(int offset, int bytes) {
        if (offset < 0 || offset + bytes > configBytes || offset % bytes != 0) {
            throw new IllegalArgumentException("device configuration offset " + offset + " (" + bytes
                    + " bytes) is unaligned or outside its " + configBytes + " bytes");
        }
    }
}
