package dev.libos.hw.virtio;

import static dev.libos.hw.virtio.VirtioMmioRegisters.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The device side of a virtio-mmio version 2 register block for tests (VIRTIO 1.2 section
 * 4.2.2): selects steer the feature and queue registers, writing 0 to Status resets, InterruptACK
 * clears InterruptStatus bits, QueueNotify calls {@link #onNotify}. The test fails on any access
 * the layout forbids: a control register touched with other than a 32-bit access, a read of a
 * write-only or a write of a read-only register, an offset the layout lacks, a queue enabled
 * before its addresses were written. Reads are recorded per offset, so a test can check that the
 * driver read nothing past an identity it had to reject.
 */
final class VirtioMmioRegisterModel implements DeviceRegisters {
    static final int WINDOW_BYTES = 0x200;

    static final class Queue {
        int maxSize;
        int size;
        long descriptorTable;
        long availRing;
        long usedRing;
        int ready;
    }

    int magic = MAGIC;
    int version = VERSION_MODERN;
    int deviceId;
    int vendorId = 0x554d4551; // "QEMU"
    long deviceFeatures = VirtioFeatures.VERSION_1;
    long driverFeatures;
    int status;
    int interruptStatus;
    int configGeneration;
    /** After a reset, Status reads back its old value this many more times. */
    int resetReadsBeforeZero;
    /** When true, Status never reads back 0 after a reset. */
    boolean resetHangs;
    final Queue[] queues;
    final ByteBuffer config = ByteBuffer.allocate(WINDOW_BYTES - CONFIG).order(ByteOrder.LITTLE_ENDIAN);
    final Set<Integer> offsetsRead = new HashSet<>();
    final List<Integer> notifications = new ArrayList<>();
    IntConsumer onNotify = queue -> { };
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private int queueSel;
    private int pendingResetReads;
    private int statusBeforeReset;

    VirtioMmioRegisterModel(int deviceId, int queueCount, int queueMaxSize) {
        this.deviceId = deviceId;
        queues = new Queue[queueCount];
        for (int i = 0; i < queueCount; i++) {
            queues[i] = new Queue();
            queues[i].maxSize = queueMaxSize;
        }
    }

    /** The selected queue, or null when QueueSel names none (its QueueNumMax reads 0). */
    private Queue selected() {
        return queueSel >= 0 && queueSel < queues.length ? queues[queueSel] : null;
    }

    private Queue selectedForWrite(long offset) {
        Queue q = selected();
        if (q == null) {
            throw new AssertionError("write of 0x" + Long.toHexString(offset) + " for queue " + queueSel
                    + ", which the device lacks (QueueNumMax 0)");
        }
        return q;
    }

    @Override
    public long byteSize() {
        return WINDOW_BYTES;
    }

    @Override
    public int read8(long offset) {
        return config.get(configIndex(offset, 1)) & 0xff;
    }

    @Override
    public int read16(long offset) {
        return config.getShort(configIndex(offset, 2)) & 0xffff;
    }

    private static int configIndex(long offset, int width) {
        if (offset < CONFIG || offset % width != 0) {
            throw new AssertionError(width * 8 + "-bit access of control register 0x" + Long.toHexString(offset)
                    + ": only 32-bit accesses are allowed below 0x100 (section 4.2.2.2)");
        }
        return (int) (offset - CONFIG);
    }

    @Override
    public int read32(long offset) {
        if (offset >= CONFIG) {
            return config.getInt(configIndex(offset, 4));
        }
        offsetsRead.add((int) offset);
        return switch ((int) offset) {
            case MAGIC_VALUE -> magic;
            case VERSION -> version;
            case DEVICE_ID -> deviceId;
            case VENDOR_ID -> vendorId;
            case DEVICE_FEATURES -> deviceFeaturesSel > 1 ? 0 : (int) (deviceFeatures >>> (32 * deviceFeaturesSel));
            case QUEUE_NUM_MAX -> selected() == null ? 0 : selected().maxSize;
            case QUEUE_READY -> selected() == null ? 0 : selected().ready;
            case INTERRUPT_STATUS -> interruptStatus;
            case STATUS -> {
                if (resetHangs || pendingResetReads > 0) {
                    pendingResetReads = Math.max(0, pendingResetReads - 1);
                    yield statusBeforeReset;
                }
                yield status;
            }
            case CONFIG_GENERATION -> configGeneration;
            default -> throw new AssertionError("read of 0x" + Long.toHexString(offset) + ", a write-only or absent register");
        };
    }

    @Override
    public void write8(long offset, int value) {
        throw new AssertionError("8-bit write of 0x" + Long.toHexString(offset) + ": the driver never writes configuration here");
    }

    @Override
    public void write16(long offset, int value) {
        throw new AssertionError("16-bit write of 0x" + Long.toHexString(offset));
    }

    @Override
    public void write32(long offset, int value) {
        long unsigned = Integer.toUnsignedLong(value);
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = value;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = value;
            case DRIVER_FEATURES -> {
                if (driverFeaturesSel <= 1) {
                    int shift = 32 * driverFeaturesSel;
                    driverFeatures = (driverFeatures & ~(0xffffffffL << shift)) | (unsigned << shift);
                }
            }
            case QUEUE_SEL -> queueSel = value;
            case QUEUE_NUM -> selectedForWrite(offset).size = value;
            case QUEUE_READY -> {
                Queue q = selectedForWrite(offset);
                if (value != 0 && (q.size == 0 || q.descriptorTable == 0 || q.availRing == 0 || q.usedRing == 0)) {
                    throw new AssertionError("queue " + queueSel + " made ready before its size and addresses were written");
                }
                q.ready = value;
            }
            case QUEUE_NOTIFY -> {
                notifications.add(value);
                onNotify.accept(value);
            }
            case INTERRUPT_ACK -> interruptStatus &= ~value;
            case STATUS -> {
                if (value == 0) {
                    reset();
                } else {
                    status = value;
                }
            }
            case QUEUE_DESC_LOW -> selectedForWrite(offset).descriptorTable = low(selected().descriptorTable, unsigned);
            case QUEUE_DESC_HIGH -> selectedForWrite(offset).descriptorTable = high(selected().descriptorTable, unsigned);
            case QUEUE_DRIVER_LOW -> selectedForWrite(offset).availRing = low(selected().availRing, unsigned);
            case QUEUE_DRIVER_HIGH -> selectedForWrite(offset).availRing = high(selected().availRing, unsigned);
            case QUEUE_DEVICE_LOW -> selectedForWrite(offset).usedRing = low(selected().usedRing, unsigned);
            case QUEUE_DEVICE_HIGH -> selectedForWrite(offset).usedRing = high(selected().usedRing, unsigned);
            default -> throw new AssertionError("write of 0x" + Long.toHexString(offset) + ", a read-only or absent register");
        }
    }

    private void reset() {
        statusBeforeReset = status;
        pendingResetReads = resetReadsBeforeZero;
        status = 0;
        driverFeatures = 0;
        interruptStatus = 0;
        for (Queue q : queues) {
            q.ready = 0;
            q.size = 0;
            q.descriptorTable = q.availRing = q.usedRing = 0;
        }
    }

    private static long low(long field, long low) {
        return (field & 0xffffffff00000000L) | low;
    }

    private static long high(long field, long high) {
        return (field & 0xffffffffL) | (high << 32);
    }
}
