package dev.libos.hw.virtio;

import dev.libos.api.stat.SingleWriterCounter;
import static dev.libos.hw.virtio.VirtioPciCommonConfig.*;

import dev.libos.hw.pci.BarResource;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.VendorCapability;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The virtio 1.x ("modern") PCI transport (VIRTIO 1.2 section 4.1): the common configuration,
 * notification, ISR and device configuration structures, found through the device's
 * vendor-specific capabilities and reached through its mapped BARs. The register layout is in
 * {@link VirtioPciCommonConfig}.
 *
 * <p>Single-threaded, like the drivers that use it: {@code queue_select} and the feature selects
 * are device state shared by consecutive accesses.
 */
public final class VirtioPciTransport implements VirtioTransport {
    /** Reads of device_status after a reset before giving up (section 4.1.4.3.2). */
    static final int RESET_POLLS = 100_000;
    private static final int NO_NOTIFY_OFFSET = -1;

    private final DeviceRegisters common;
    private final DeviceRegisters notify;
    private final long notifyOffMultiplier;
    private final DeviceRegisters isr;
    private final DeviceRegisters deviceConfig;
    private long[] notifyOffsets = new long[0];
    private final SingleWriterCounter notifyOutOfRange = new SingleWriterCounter();

    /**
     * A transport over four register windows (the structures the capabilities name).
     *
     * @param deviceConfig the device-specific configuration; may be empty for a device without one
     * @throws IllegalArgumentException for a common structure shorter than {@link VirtioPciCommonConfig#LENGTH},
     *         an empty ISR or notify window, or a negative multiplier
     */
    public VirtioPciTransport(DeviceRegisters common, DeviceRegisters notify, long notifyOffMultiplier,
                              DeviceRegisters isr, DeviceRegisters deviceConfig) {
        this.common = Objects.requireNonNull(common, "common");
        this.notify = Objects.requireNonNull(notify, "notify");
        this.isr = Objects.requireNonNull(isr, "isr");
        this.deviceConfig = Objects.requireNonNull(deviceConfig, "deviceConfig");
        if (common.byteSize() < LENGTH) {
            throw new IllegalArgumentException("common configuration needs " + LENGTH + " bytes: " + common.byteSize());
        }
        if (notify.byteSize() < 2 || isr.byteSize() < 1) {
            throw new IllegalArgumentException("notify and ISR windows must not be empty: " + notify.byteSize() + ", " + isr.byteSize());
        }
        if (notifyOffMultiplier < 0) {
            throw new IllegalArgumentException("notifyOffMultiplier must not be negative: " + notifyOffMultiplier);
        }
        this.notifyOffMultiplier = notifyOffMultiplier;
    }

    /**
     * Finds the virtio structures of {@code device} through its vendor capabilities and maps the
     * BARs holding them into {@code arena} (unmapped when it closes). The first capability of
     * each type on a memory BAR is used (section 4.1.4.1: the driver SHOULD use the first it can).
     *
     * @throws IOException when the device lacks the common, notify or ISR structure, a structure
     *         lies outside its BAR, or sysfs cannot be read
     */
    public static VirtioPciTransport open(PciDevice device, Arena arena) throws IOException {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(arena, "arena");
        List<VendorCapability> capabilities = device.vendorCapabilities();
        VendorCapability commonCap = first(device, capabilities, TYPE_COMMON);
        VendorCapability notifyCap = first(device, capabilities, TYPE_NOTIFY);
        VendorCapability isrCap = first(device, capabilities, TYPE_ISR);
        VendorCapability deviceCap = first(device, capabilities, TYPE_DEVICE);
        if (commonCap == null || notifyCap == null || isrCap == null) {
            throw new IOException(device.address() + ": not a modern virtio device: missing the "
                    + (commonCap == null ? "common configuration" : notifyCap == null ? "notification" : "ISR")
                    + " capability");
        }
        if (notifyCap.capabilityLength() < NOTIFY_CAPABILITY_LENGTH) {
            throw new IOException(device.address() + ": notify capability at 0x" + Integer.toHexString(notifyCap.configOffset())
                    + " is " + notifyCap.capabilityLength() + " bytes, too short for notify_off_multiplier");
        }
        long multiplier = Integer.toUnsignedLong(device.readConfig32(notifyCap.configOffset() + NOTIFY_OFF_MULTIPLIER));
        Map<Integer, MemorySegment> bars = new HashMap<>();
        DeviceRegisters common = window(device, arena, bars, commonCap);
        DeviceRegisters notify = window(device, arena, bars, notifyCap);
        DeviceRegisters isr = window(device, arena, bars, isrCap);
        DeviceRegisters config = deviceCap == null ? DeviceRegisters.of(MemorySegment.NULL) : window(device, arena, bars, deviceCap);
        try {
            return new VirtioPciTransport(common, notify, multiplier, isr, config);
        } catch (IllegalArgumentException e) {
            throw new IOException(device.address() + ": " + e.getMessage(), e);
        }
    }

    private static VendorCapability first(PciDevice device, List<VendorCapability> capabilities, int type) {
        for (VendorCapability cap : capabilities) {
            if (cap.configType() == type && cap.bar() < 6) {
                BarResource bar = device.bar(cap.bar());
                if (bar.isPresent() && bar.isMemory()) {
                    return cap;
                }
            }
        }
        return null;
    }

    private static DeviceRegisters window(PciDevice device, Arena arena, Map<Integer, MemorySegment> bars,
                                          VendorCapability cap) throws IOException {
        MemorySegment bar = bars.get(cap.bar());
        if (bar == null) {
            bar = device.mapBar(cap.bar(), arena);
            bars.put(cap.bar(), bar);
        }
        if (cap.barOffset() < 0 || cap.length() < 0 || cap.barOffset() + cap.length() > bar.byteSize()) {
            throw new IOException(device.address() + ": virtio structure type " + cap.configType() + " at BAR "
                    + cap.bar() + " offset 0x" + Long.toHexString(cap.barOffset()) + " length 0x"
                    + Long.toHexString(cap.length()) + " lies outside the BAR (0x" + Long.toHexString(bar.byteSize()) + " bytes)");
        }
        return DeviceRegisters.of(bar.asSlice(cap.barOffset(), cap.length()));
    }

    @Override
    public long deviceFeatures() {
        common.write32(DEVICE_FEATURE_SELECT, 0);
        long low = Integer.toUnsignedLong(common.read32(DEVICE_FEATURE));
        common.write32(DEVICE_FEATURE_SELECT, 1);
        long high = Integer.toUnsignedLong(common.read32(DEVICE_FEATURE));
        return (high << 32) | low;
    }

    @Override
    public void writeDriverFeatures(long features) {
        common.write32(DRIVER_FEATURE_SELECT, 0);
        common.write32(DRIVER_FEATURE, (int) features);
        common.write32(DRIVER_FEATURE_SELECT, 1);
        common.write32(DRIVER_FEATURE, (int) (features >>> 32));
    }

    @Override
    public int readStatus() {
        return common.read8(DEVICE_STATUS);
    }

    @Override
    public void writeStatus(int status) {
        common.write8(DEVICE_STATUS, status);
    }

    @Override
    public boolean reset() {
        common.write8(DEVICE_STATUS, 0);
        Arrays.fill(notifyOffsets, NO_NOTIFY_OFFSET);
        // Section 4.1.4.3.2: the driver MUST wait for device_status to read back 0 before
        // re-initialising; the device may still be finishing outstanding work until then.
        for (int poll = 0; poll < RESET_POLLS; poll++) {
            if (common.read8(DEVICE_STATUS) == 0) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Override
    public int queueCount() {
        return common.read16(NUM_QUEUES);
    }

    @Override
    public int queueMaxSize(int queue) {
        if (queue < 0 || queue >= queueCount()) {
            return 0;
        }
        common.write16(QUEUE_SELECT, queue);
        // Before the driver writes queue_size it reads the device's maximum (0: unavailable).
        return common.read16(QUEUE_SIZE);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a queue the device does not have
     */
    @Override
    public void setupQueue(int queue, int size, long descriptorTableAddress, long availRingAddress, long usedRingAddress) {
        int count = queueCount();
        if (queue < 0 || queue >= count) {
            throw new IllegalArgumentException("queue must be in [0, " + count + "): " + queue);
        }
        common.write16(QUEUE_SELECT, queue);
        common.write16(QUEUE_SIZE, size);
        write64(QUEUE_DESC, descriptorTableAddress);
        write64(QUEUE_DRIVER, availRingAddress);
        write64(QUEUE_DEVICE, usedRingAddress);
        // Where this queue's doorbell is: fixed by the device, read once per set-up.
        long offset = (long) common.read16(QUEUE_NOTIFY_OFF) * notifyOffMultiplier;
        if (notifyOffsets.length < count) {
            long[] grown = new long[count];
            Arrays.fill(grown, NO_NOTIFY_OFFSET);
            System.arraycopy(notifyOffsets, 0, grown, 0, notifyOffsets.length);
            notifyOffsets = grown;
        }
        notifyOffsets[queue] = offset + 2 <= notify.byteSize() ? offset : NO_NOTIFY_OFFSET;
    }

    /** Section 4.1.3.1: a 64-bit field is written as two 32-bit halves, low half first. */
    private void write64(int offset, long value) {
        common.write32(offset, (int) value);
        common.write32(offset + 4, (int) (value >>> 32));
    }

    @Override
    public void enableQueue(int queue) {
        common.write16(QUEUE_SELECT, queue);
        // The volatile register writes of setupQueue happen before this one: the device sees
        // the queue's addresses before it sees the queue enabled (section 4.1.4.3.2).
        common.write16(QUEUE_ENABLE, 1);
    }

    /**
     * {@inheritDoc} A queue that was not set up, or whose doorbell the device placed outside the
     * notify structure, is not notified; {@link #notifyOutOfRange()} counts these.
     */
    @Override
    public void notifyQueue(int queue) {
        long offset = queue >= 0 && queue < notifyOffsets.length ? notifyOffsets[queue] : NO_NOTIFY_OFFSET;
        if (offset == NO_NOTIFY_OFFSET) {
            notifyOutOfRange.increment();
            return;
        }
        // Without VIRTIO_F_NOTIFICATION_DATA the value written is the queue index (4.1.5.2).
        notify.write16(offset, queue);
    }

    /** Notifications not sent because the queue's doorbell was unknown or outside the notify structure. */
    public long notifyOutOfRange() {
        return notifyOutOfRange.get();
    }

    @Override
    public int readInterruptStatus() {
        return isr.read8(0);
    }

    @Override
    public int configGeneration() {
        return common.read8(CONFIG_GENERATION);
    }

    @Override
    public int readConfig8(int offset) {
        checkConfig(offset, 1);
        return deviceConfig.read8(offset);
    }

    @Override
    public int readConfig16(int offset) {
        checkConfig(offset, 2);
        return deviceConfig.read16(offset);
    }

    @Override
    public int readConfig32(int offset) {
        checkConfig(offset, 4);
        return deviceConfig.read32(offset);
    }

    private void checkConfig(int offset, int bytes) {
        if (offset < 0 || offset + bytes > deviceConfig.byteSize() || offset % bytes != 0) {
            throw new IllegalArgumentException("device configuration offset " + offset + " (" + bytes
                    + " bytes) is unaligned or outside its " + deviceConfig.byteSize() + " bytes");
        }
    }
}
