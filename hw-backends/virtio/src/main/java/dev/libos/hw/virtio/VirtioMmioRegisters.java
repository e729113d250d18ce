package dev.libos.hw.virtio;

/**
 * The register layout of a virtio-mmio transport, version 2 (VIRTIO 1.2 section 4.2.2): a
 * little-endian register block followed by the device-specific configuration at 0x100.
 * <pre>
 *  0x000 MagicValue        R   0x74726976 ("virt")      0x044 QueueReady        RW
 *  0x004 Version           R   2 (1: legacy)            0x050 QueueNotify       W   queue index
 *  0x008 DeviceID          R   0: no device             0x060 InterruptStatus   R
 *  0x00c VendorID          R                            0x064 InterruptACK      W
 *  0x010 DeviceFeatures    R   half named by its Sel    0x070 Status            RW  0 resets
 *  0x014 DeviceFeaturesSel W   0: bits 0-31, 1: 32-63   0x080 QueueDescLow/High     (+4)  W
 *  0x020 DriverFeatures    W                            0x090 QueueDriverLow/High   (+4)  W
 *  0x024 DriverFeaturesSel W                            0x0a0 QueueDeviceLow/High   (+4)  W
 *  0x030 QueueSel          W                            0x0fc ConfigGeneration  R
 *  0x034 QueueNumMax       R   0: queue absent          0x100 Config            device-specific
 *  0x038 QueueNum          W
 * </pre>
 * The {@code Queue*} registers address the queue named by {@code QueueSel}. The driver accesses
 * the registers below 0x100 only with 32-bit aligned loads and stores (section 4.2.2.2); the
 * configuration with accesses of each field's own width. Version 1 ("legacy", section 4.2.4) has
 * a different queue interface (a page frame number) and is not driven here.
 */
public final class VirtioMmioRegisters {
    public static final int MAGIC_VALUE = 0x000;
    public static final int VERSION = 0x004;
    public static final int DEVICE_ID = 0x008;
    public static final int VENDOR_ID = 0x00c;
    public static final int DEVICE_FEATURES = 0x010;
    public static final int DEVICE_FEATURES_SEL = 0x014;
    public static final int DRIVER_FEATURES = 0x020;
    public static final int DRIVER_FEATURES_SEL = 0x024;
    public static final int QUEUE_SEL = 0x030;
    public static final int QUEUE_NUM_MAX = 0x034;
    public static final int QUEUE_NUM = 0x038;
    public static final int QUEUE_READY = 0x044;
    public static final int QUEUE_NOTIFY = 0x050;
    public static final int INTERRUPT_STATUS = 0x060;
    public static final int INTERRUPT_ACK = 0x064;
    public static final int STATUS = 0x070;
    public static final int QUEUE_DESC_LOW = 0x080;
    public static final int QUEUE_DESC_HIGH = 0x084;
    public static final int QUEUE_DRIVER_LOW = 0x090;
    public static final int QUEUE_DRIVER_HIGH = 0x094;
    public static final int QUEUE_DEVICE_LOW = 0x0a0;
    public static final int QUEUE_DEVICE_HIGH = 0x0a4;
    public static final int CONFIG_GENERATION = 0x0fc;
    /** Where the device-specific configuration starts. */
    public static final int CONFIG = 0x100;

    /** "virt" in little-endian ASCII. */
    public static final int MAGIC = 0x74726976;
    /** The virtio 1.x register layout this transport drives. */
    public static final int VERSION_MODERN = 2;
    /** The pre-1.0 layout (section 4.2.4). */
    public static final int VERSION_LEGACY = 1;
    /** DeviceID of a transport with no device behind it (section 4.2.2.2: ignore it, report nothing). */
    public static final int NO_DEVICE = 0;

    private VirtioMmioRegisters() {
    }
}
