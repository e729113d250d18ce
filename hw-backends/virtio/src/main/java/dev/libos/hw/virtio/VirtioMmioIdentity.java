package dev.libos.hw.virtio;

/**
 * What a virtio-mmio register block says it is: its first four registers, read as section
 * 4.2.3.1.1 orders (MagicValue and Version first; DeviceID only when both are valid; nothing
 * else before the device is known).
 *
 * @param magic    MagicValue
 * @param version  Version; 0 when the magic was wrong (not read)
 * @param deviceId DeviceID (1 network, 2 block, section 5); 0 when not read
 * @param vendorId VendorID; 0 when not read
 */
public record VirtioMmioIdentity(int magic, int version, int deviceId, int vendorId) {
    /** What the driver does with the block. */
    public enum Kind {
        /** A version 2 transport with a device: drivable. */
        DEVICE,
        /** A version 2 transport with DeviceID 0: a free slot, ignored without a word (section 4.2.2.2). */
        EMPTY,
        /** Version 1: the legacy interface (section 4.2.4), refused. */
        LEGACY,
        /** A version other than 1 or 2. */
        UNKNOWN_VERSION,
        /** MagicValue is not "virt": not a virtio-mmio transport at all. */
        NOT_VIRTIO
    }

    /** Reads the identity registers of {@code registers}, in the order section 4.2.3.1.1 prescribes. */
    public static VirtioMmioIdentity read(DeviceRegisters registers) {
        int magic = registers.read32(VirtioMmioRegisters.MAGIC_VALUE);
        if (magic != VirtioMmioRegisters.MAGIC) {
            return new VirtioMmioIdentity(magic, 0, 0, 0);
        }
        int version = registers.read32(VirtioMmioRegisters.VERSION);
        if (version != VirtioMmioRegisters.VERSION_MODERN) {
            return new VirtioMmioIdentity(magic, version, 0, 0);
        }
        return new VirtioMmioIdentity(magic, version, registers.read32(VirtioMmioRegisters.DEVICE_ID),
                registers.read32(VirtioMmioRegisters.VENDOR_ID));
    }

    public Kind kind() {
        if (magic != VirtioMmioRegisters.MAGIC) {
            return Kind.NOT_VIRTIO;
        }
        if (version == VirtioMmioRegisters.VERSION_LEGACY) {
            return Kind.LEGACY;
        }
        if (version != VirtioMmioRegisters.VERSION_MODERN) {
            return Kind.UNKNOWN_VERSION;
        }
        return deviceId == VirtioMmioRegisters.NO_DEVICE ? Kind.EMPTY : Kind.DEVICE;
    }

    /** One line for logs and errors. */
    public String describe() {
        return switch (kind()) {
            case DEVICE -> "virtio-mmio version 2, device id " + deviceId + ", vendor 0x" + Integer.toHexString(vendorId);
            case EMPTY -> "virtio-mmio version 2 with no device (device id 0)";
            case LEGACY -> "legacy virtio-mmio (version 1), which libos does not drive: only version 2 (virtio 1.x)"
                    + " is supported; QEMU offers it with -global virtio-mmio.force-legacy=false";
            case UNKNOWN_VERSION -> "virtio-mmio of unknown version " + Integer.toUnsignedString(version)
                    + " (only version 2 is supported)";
            case NOT_VIRTIO -> "not a virtio-mmio transport: magic value 0x" + Integer.toHexString(magic)
                    + " instead of 0x" + Integer.toHexString(VirtioMmioRegisters.MAGIC) + " (\"virt\")";
        };
    }
}
