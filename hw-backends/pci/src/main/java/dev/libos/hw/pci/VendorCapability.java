package dev.libos.hw.pci;

/**
 * A vendor-specific capability (id 0x09) in the layout virtio 1.x gives it (virtio 1.2, section
 * 4.1.4, {@code struct virtio_pci_cap}):
 *
 * <pre>
 *  0 cap_vndr (0x09)   1 cap_next   2 cap_len   3 cfg_type
 *  4 bar               5 id         6..7 padding
 *  8 offset (32, little-endian)    12 length (32, little-endian)
 * </pre>
 * Fields past 16 (the notify capability's multiplier) are read by the caller from
 * {@link #configOffset()} through {@link PciDevice#readConfig32(int)}.
 *
 * @param configOffset where the capability starts in configuration space
 * @param capabilityLength its cap_len byte
 * @param configType cfg_type (virtio: 1 common, 2 notify, 3 ISR, 4 device, 5 PCI config access)
 * @param bar the BAR holding the structure
 * @param barOffset where the structure starts in the BAR
 * @param length the structure's length in bytes
 */
public record VendorCapability(int configOffset, int capabilityLength, int configType, int bar,
                               long barOffset, long length) {
    /** Smallest cap_len that holds the fields above. */
    public static final int MINIMUM_LENGTH = 16;
    public static final int CONFIG_TYPE = 3;
    public static final int BAR = 4;
    public static final int BAR_OFFSET = 8;
    public static final int LENGTH = 12;
}
