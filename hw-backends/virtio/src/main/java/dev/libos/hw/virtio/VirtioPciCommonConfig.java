package dev.libos.hw.virtio;

/**
 * The layout of the virtio PCI transport's structures (VIRTIO 1.2 section 4.1.4).
 *
 * <p>{@code struct virtio_pci_common_cfg} (section 4.1.4.3), little-endian, in the BAR region
 * named by the common configuration capability:
 * <pre>
 *  0                        4                 8                        12
 *  +------------------------+-----------------+------------------------+----------------+
 *  | device_feature_select  | device_feature  | driver_feature_select  | driver_feature |
 *  +------------+-----------+---+-------------+------------------------+----------------+
 *  16           18              20            21            22            24
 *  | msix_config| num_queues    | device_status| config_gen | queue_select | queue_size   |
 *  +------------+---------------+-------------+-------------+--------------+--------------+
 *  26                 28             30                32
 *  | queue_msix_vector| queue_enable | queue_notify_off| queue_desc (le64)  40 queue_driver
 *  +------------------+--------------+-----------------+  48 queue_device (le64), 56 end
 * </pre>
 * The {@code queue_*} fields address the queue named by {@code queue_select}; the 32-bit feature
 * fields the half named by their select (0: bits 0-31, 1: bits 32-63). 64-bit fields are written
 * as two 32-bit halves, low first (section 4.1.3.1).
 *
 * <p>The notify capability ({@code struct virtio_pci_notify_cap}, section 4.1.4.4) extends the
 * 16-byte {@code virtio_pci_cap} with {@code notify_off_multiplier} (le32) at byte 16; queue q is
 * notified by a 16-bit write of q at {@code cap.offset + queue_notify_off * notify_off_multiplier}.
 * The ISR structure (section 4.1.4.5) is one byte, cleared by reading it.
 */
public final class VirtioPciCommonConfig {
    public static final int DEVICE_FEATURE_SELECT = 0;
    public static final int DEVICE_FEATURE = 4;
    public static final int DRIVER_FEATURE_SELECT = 8;
    public static final int DRIVER_FEATURE = 12;
    public static final int MSIX_CONFIG = 16;
    public static final int NUM_QUEUES = 18;
    public static final int DEVICE_STATUS = 20;
    public static final int CONFIG_GENERATION = 21;
    public static final int QUEUE_SELECT = 22;
    public static final int QUEUE_SIZE = 24;
    public static final int QUEUE_MSIX_VECTOR = 26;
    public static final int QUEUE_ENABLE = 28;
    public static final int QUEUE_NOTIFY_OFF = 30;
    public static final int QUEUE_DESC = 32;
    public static final int QUEUE_DRIVER = 40;
    public static final int QUEUE_DEVICE = 48;
    /** Bytes of the structure this driver uses (the virtio 1.0 layout). */
    public static final int LENGTH = 56;

    /** cfg_type of the common configuration capability. */
    public static final int TYPE_COMMON = 1;
    /** cfg_type of the notification capability. */
    public static final int TYPE_NOTIFY = 2;
    /** cfg_type of the ISR capability. */
    public static final int TYPE_ISR = 3;
    /** cfg_type of the device-specific configuration capability. */
    public static final int TYPE_DEVICE = 4;
    /** Offset of notify_off_multiplier in the notify capability (in PCI configuration space). */
    public static final int NOTIFY_OFF_MULTIPLIER = 16;
    /** cap_len of a notify capability that holds the multiplier. */
    public static final int NOTIFY_CAPABILITY_LENGTH = 20;

    private VirtioPciCommonConfig() {
    }
}
