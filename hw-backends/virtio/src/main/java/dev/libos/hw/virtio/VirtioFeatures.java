package dev.libos.hw.virtio;

/** Feature bits (VIRTIO 1.2 section 6 "Reserved Feature Bits", and 5.1.3 for virtio-net), as masks. */
public final class VirtioFeatures {
    /** Section 2.7.5.3.1: indirect descriptors. */
    public static final long RING_INDIRECT_DESC = 1L << 28;
    /** Section 2.7.10: used_event / avail_event notification suppression. */
    public static final long RING_EVENT_IDX = 1L << 29;
    /** Compliance with VIRTIO 1.x (little-endian, modern layout); required by this driver. */
    public static final long VERSION_1 = 1L << 32;
    /** The device is behind an IOMMU / uses platform DMA translation. */
    public static final long ACCESS_PLATFORM = 1L << 33;
    /** Packed virtqueues (section 2.8; not implemented here). */
    public static final long RING_PACKED = 1L << 34;

    /** virtio-net: the device handles packets with partial checksum (transmit offload). */
    public static final long NET_CSUM = 1L;
    /** virtio-net: the driver handles packets with partial checksum (receive offload). */
    public static final long NET_GUEST_CSUM = 1L << 1;
    /** virtio-net: the driver takes TCP/IPv4 segments larger than the MTU (receive segmentation offload). */
    public static final long NET_GUEST_TSO4 = 1L << 7;
    /** virtio-net: the device reports an MTU in its config. */
    public static final long NET_MTU = 1L << 3;
    /** virtio-net: the device has a MAC address in its config. */
    public static final long NET_MAC = 1L << 5;
    /** virtio-net: the driver can merge receive buffers. */
    public static final long NET_MRG_RXBUF = 1L << 15;
    /** virtio-net: the config status field (link up) is valid. */
    public static final long NET_STATUS = 1L << 16;

    private VirtioFeatures() {
    }

    /** Whether every bit of {@code mask} is set in {@code features}. */
    public static boolean has(long features, long mask) {
        return (features & mask) == mask;
    }
}
