package dev.libos.hw.virtio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A transport in memory that records what the driver did and refuses on demand. */
final class FakeVirtioTransport implements VirtioTransport {
    record QueueSetup(int size, long descriptorTable, long availRing, long usedRing) {
    }

    long offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX;
    long driverFeatures = -1;
    boolean resetWorks = true;
    boolean rejectFeatures;
    boolean needsResetAfterDriverOk;
    int queueMaxSize = 256;
    int queueCount = 2;
    int status;
    final List<Integer> statusWrites = new ArrayList<>();
    final Map<Integer, QueueSetup> queues = new HashMap<>();
    final Map<Integer, Boolean> enabled = new HashMap<>();
    final int[] notifications = new int[8];
    final ByteBuffer config = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    Runnable onNotify = () -> { };

    @Override
    public long deviceFeatures() {
        return offeredFeatures;
    }

    @Override
    public void writeDriverFeatures(long features) {
        driverFeatures = features;
    }

    @Override
    public int readStatus() {
        return status;
    }

    @Override
    public void writeStatus(int newStatus) {
        statusWrites.add(newStatus);
        status = newStatus;
        if (rejectFeatures && (newStatus & VirtioStatus.FEATURES_OK) != 0) {
            status &= ~VirtioStatus.FEATURES_OK;
        }
        if (needsResetAfterDriverOk && (newStatus & VirtioStatus.DRIVER_OK) != 0) {
            status |= VirtioStatus.DEVICE_NEEDS_RESET;
        }
    }

    @Override
    public boolean reset() {
        statusWrites.add(0);
        if (!resetWorks) {
            return false;
        }
        status = 0;
        queues.clear();
        enabled.clear();
        return true;
    }

    @Override
    public int queueCount() {
        return queueCount;
    }

    @Override
    public int queueMaxSize(int queue) {
        return queue < queueCount ? queueMaxSize : 0;
    }

    @Override
    public void setupQueue(int queue, int size, long descriptorTableAddress, long availRingAddress, long usedRingAddress) {
        queues.put(queue, new QueueSetup(size, descriptorTableAddress, availRingAddress, usedRingAddress));
    }

    @Override
    public void enableQueue(int queue) {
        enabled.put(queue, true);
    }

    @Override
    public void notifyQueue(int queue) {
        notifications[queue]++;
        onNotify.run();
    }

    @Override
    public int readInterruptStatus() {
        interruptStatusReads++;
        return 0;
    }

    /** ISR status reads (each acknowledges an interrupt on a real device). */
    int interruptStatusReads;

    @Override
    public int configGeneration() {
        return 0;
    }

    @Override
    public int readConfig8(int offset) {
        return Byte.toUnsignedInt(config.get(offset));
    }

    @Override
    public int readConfig16(int offset) {
        return Short.toUnsignedInt(config.getShort(offset));
    }

    @Override
    public int readConfig32(int offset) {
        return config.getInt(offset);
    }
}
