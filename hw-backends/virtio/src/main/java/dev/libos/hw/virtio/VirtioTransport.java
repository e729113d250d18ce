package dev.libos.hw.virtio;

/**
 * What a virtio driver needs from its transport (VIRTIO 1.2 section 4: the PCI transport's
 * common configuration capability, or virtio-mmio's registers). Implementations hide the
 * register layout; drivers and {@link VirtioDeviceInit} only see these operations. Offsets into
 * the device-specific configuration are those of the device type's config structure.
 */
public interface VirtioTransport {
    /** The device's 64 feature bits (section 2.2), read through the transport's feature select. */
    long deviceFeatures();

    /** Writes the feature bits the driver accepts. */
    void writeDriverFeatures(long features);

    /** The device status byte (section 2.1). */
    int readStatus();

    /** Writes the device status byte; writing 0 resets the device. */
    void writeStatus(int status);

    /**
     * Resets the device: writes 0 to the status and returns once the device reads back 0
     * (section 4.1.4.3.2), or false if it did not within the transport's bounded retries.
     */
    boolean reset();

    /** Number of virtqueues the device offers. */
    int queueCount();

    /** Largest size queue {@code queue} supports; 0 if the queue does not exist. */
    int queueMaxSize(int queue);

    /**
     * Programs queue {@code queue}'s size and the device addresses of its three parts
     * (section 4.1.5.1.3), without enabling it.
     */
    void setupQueue(int queue, int size, long descriptorTableAddress, long availRingAddress, long usedRingAddress);

    /** Enables queue {@code queue} (queue_enable = 1). */
    void enableQueue(int queue);

    /** Tells the device that queue {@code queue} has new available buffers (section 2.9). */
    void notifyQueue(int queue);

    /** Reads and clears the interrupt status (section 4.1.4.5): bit 0 queue, bit 1 config change. */
    int readInterruptStatus();

    /** The configuration generation counter (section 2.5.1). */
    int configGeneration();

    /** Reads one byte of the device-specific configuration. */
    int readConfig8(int offset);

    /** Reads a little-endian 16-bit field of the device-specific configuration. */
    int readConfig16(int offset);

    /** Reads a little-endian 32-bit field of the device-specific configuration. */
    int readConfig32(int offset);
}
