package dev.libos.hw.virtio;

import static dev.libos.hw.virtio.VirtioPciCommonConfig.*;

/**
 * The device side of {@code virtio_pci_common_cfg} for tests: the feature and queue selects
 * steer which half or which queue the other registers address, writing 0 to device_status
 * resets, and an access to an offset or width the layout does not have fails the test (so a
 * transport touching the wrong register is caught).
 */
final class VirtioPciRegisterModel implements DeviceRegisters {
    static final class Queue {
        int maxSize;
        int size;
        long descriptorTable;
        long availRing;
        long usedRing;
        int enable;
        int notifyOff;
    }

    long deviceFeatures = VirtioFeatures.VERSION_1;
    long driverFeatures;
    int status;
    int configGeneration;
    /** After a reset, device_status reads back its old value this many more times. */
    int resetReadsBeforeZero;
    /** When true, device_status never reads back 0 after a reset. */
    boolean resetHangs;
    final Queue[] queues;
    private int deviceFeatureSelect;
    private int driverFeatureSelect;
    private int queueSelect;
    private int pendingResetReads;
    private int statusBeforeReset;

    VirtioPciRegisterModel(int queueCount, int queueMaxSize) {
        queues = new Queue[queueCount];
        for (int i = 0; i < queueCount; i++) {
            queues[i] = new Queue();
            queues[i].maxSize = queueMaxSize;
            queues[i].size = queueMaxSize;
            queues[i].notifyOff = i;
        }
    }

    private Queue selected() {
        if (queueSelect >= queues.length) {
            throw new AssertionError("queue_select " + queueSelect + " names no queue; the driver must check num_queues");
        }
        return queues[queueSelect];
    }

    @Override
    public long byteSize() {
        return LENGTH;
    }

    @Override
    public int read8(long offset) {
        if (offset == DEVICE_STATUS) {
            if (resetHangs || pendingResetReads > 0) {
                pendingResetReads = Math.max(0, pendingResetReads - 1);
                return statusBeforeReset;
            }
            return status;
        }
        if (offset == CONFIG_GENERATION) {
            return configGeneration;
        }
        throw new AssertionError("8-bit read of offset " + offset);
    }

    @Override
    public int read16(long offset) {
        return switch ((int) offset) {
            case NUM_QUEUES -> queues.length;
            case QUEUE_SELECT -> queueSelect;
            case QUEUE_SIZE -> queueSelect < queues.length ? queues[queueSelect].size : 0;
            case QUEUE_ENABLE -> selected().enable;
            case QUEUE_NOTIFY_OFF -> selected().notifyOff;
            default -> throw new AssertionError("16-bit read of offset " + offset);
        };
    }

    @Override
    public int read32(long offset) {
        return switch ((int) offset) {
            case DEVICE_FEATURE -> deviceFeatureSelect > 1 ? 0 : (int) (deviceFeatures >>> (32 * deviceFeatureSelect));
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect;
            default -> throw new AssertionError("32-bit read of offset " + offset);
        };
    }

    @Override
    public void write8(long offset, int value) {
        if (offset != DEVICE_STATUS) {
            throw new AssertionError("8-bit write of offset " + offset);
        }
        if ((value & 0xff) == 0) {
            statusBeforeReset = status;
            pendingResetReads = resetReadsBeforeZero;
            status = 0;
            driverFeatures = 0;
            for (Queue q : queues) {
                q.enable = 0;
                q.size = q.maxSize;
                q.descriptorTable = q.availRing = q.usedRing = 0;
            }
        } else {
            status = value & 0xff;
        }
    }

    @Override
    public void write16(long offset, int value) {
        value &= 0xffff;
        switch ((int) offset) {
            case QUEUE_SELECT -> queueSelect = value;
            case QUEUE_SIZE -> selected().size = value;
            case QUEUE_ENABLE -> {
                Queue q = selected();
                if (q.descriptorTable == 0 || q.availRing == 0 || q.usedRing == 0) {
                    throw new AssertionError("queue " + queueSelect + " enabled before its addresses were written");
                }
                q.enable = value;
            }
            case MSIX_CONFIG, QUEUE_MSIX_VECTOR -> { }
            default -> throw new AssertionError("16-bit write of offset " + offset);
        }
    }

    @Override
    public void write32(long offset, int value) {
        long low = Integer.toUnsignedLong(value);
        switch ((int) offset) {
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect = value;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect = value;
            case DRIVER_FEATURE -> {
                if (driverFeatureSelect <= 1) {
                    int shift = 32 * driverFeatureSelect;
                    driverFeatures = (driverFeatures & ~(0xffffffffL << shift)) | (low << shift);
                }
            }
            case QUEUE_DESC -> selected().descriptorTable = setLow(selected().descriptorTable, low);
            case QUEUE_DESC + 4 -> selected().descriptorTable = setHigh(selected().descriptorTable, low);
            case QUEUE_DRIVER -> selected().availRing = setLow(selected().availRing, low);
            case QUEUE_DRIVER + 4 -> selected().availRing = setHigh(selected().availRing, low);
            case QUEUE_DEVICE -> selected().usedRing = setLow(selected().usedRing, low);
            case QUEUE_DEVICE + 4 -> selected().usedRing = setHigh(selected().usedRing, low);
            default -> throw new AssertionError("32-bit write of offset " + offset);
        }
    }

    private static long setLow(long field, long low) {
        return (field & 0xffffffff00000000L) | low;
    }

    private static long setHigh(long field, long high) {
        return (field & 0xffffffffL) | (high << 32);
    }
}
