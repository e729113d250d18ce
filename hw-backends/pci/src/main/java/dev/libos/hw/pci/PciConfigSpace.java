package dev.libos.hw.pci;

/**
 * Offsets in the standard (type 0) PCI configuration header and in a capability, as in the PCI
 * Local Bus Specification 3.0, section 6.
 *
 * <pre>
 *  0x00 vendor id (16)      0x02 device id (16)
 *  0x04 command (16)        0x06 status (16)
 *  0x08 revision (8)        0x09 class code (24)
 *  0x10..0x27 BAR0..BAR5    0x2c subsystem vendor (16), 0x2e subsystem (16)
 *  0x34 capabilities pointer (8, low two bits reserved)
 * </pre>
 * A capability: id (8), next pointer (8), then its own body. The list lives in 0x40..0xff.
 */
public final class PciConfigSpace {
    /** Size of the configuration space a conventional PCI device has (the extended space is not walked). */
    public static final int SIZE = 256;
    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION = 0x08;
    public static final int CAPABILITIES_POINTER = 0x34;

    /** Command register bit 1: the device answers memory-space accesses. */
    public static final int COMMAND_MEMORY_SPACE = 1 << 1;
    /** Command register bit 2: the device may master the bus, i.e. do DMA. */
    public static final int COMMAND_BUS_MASTER = 1 << 2;
    /** Status register bit 4: the capabilities pointer is valid. */
    public static final int STATUS_CAPABILITIES_LIST = 1 << 4;

    /** First offset a capability may start at (the header ends at 0x3f). */
    public static final int FIRST_CAPABILITY_OFFSET = 0x40;
    /** Capability id of a vendor-specific capability (virtio uses it for its structures). */
    public static final int CAPABILITY_VENDOR_SPECIFIC = 0x09;
    /** Offset of a capability's id within it. */
    public static final int CAPABILITY_ID = 0;
    /** Offset of a capability's next pointer within it. */
    public static final int CAPABILITY_NEXT = 1;
    /** Offset of a vendor-specific capability's length byte within it. */
    public static final int VENDOR_CAPABILITY_LENGTH = 2;

    private PciConfigSpace() {
    }
}
