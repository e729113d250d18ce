package dev.libos.hw.vmxnet3;

/**
 * Layout of the memory the driver shares with the device for configuration (VMware's
 * {@code vmxnet3_defs.h}, revision 1): {@code Vmxnet3_DriverShared}, whose address goes to
 * DSAL/DSAH, and the queue descriptor table it points to ({@code Vmxnet3_TxQueueDesc}s followed
 * by {@code Vmxnet3_RxQueueDesc}s). Only the fields this driver writes or reads are named;
 * everything else stays zero. All fields little-endian.
 *
 * <pre>
 *  Vmxnet3_DriverShared (720 bytes)
 *    0  magic (VMXNET3_REV1_MAGIC)      4  pad
 *    8  devRead.misc (Vmxnet3_MiscConf, 72 bytes)
 *         8  driverInfo.version   12 driverInfo.gos   16 vmxnet3RevSpt   20 uptVerSpt
 *        24  uptFeatures (u64)    32 ddPA (u64)       40 queueDescPA (u64)
 *        48  ddLen   52 queueDescLen   56 mtu   60 maxNumRxSG (u16)   62 numTxQueues   63 numRxQueues
 *   80  devRead.intrConf (40 bytes): 80 autoMask  81 numIntrs  82 eventIntrIdx  83 modLevels[25]  108 intrCtrl
 *  120  devRead.rxFilterConf (528 bytes): 120 rxMode  124 mfTableLen (u16)  128 mfTablePA  136 vfTable[128]
 *  648  rssConfDesc   664 pmConfDesc   680 pluginConfDesc (16 bytes each)
 *  696  ecr   700 reserved   704 cmdInfo (16 bytes)
 *
 *  Vmxnet3_TxQueueDesc (256 bytes)              Vmxnet3_RxQueueDesc (256 bytes)
 *    0  ctrl.txNumDeferred  4 ctrl.txThreshold    0  ctrl.updateRxProd (u8)
 *   16  conf.txRingBasePA                        16  conf.rxRingBasePA[0]   24 rxRingBasePA[1]
 *   24  conf.dataRingBasePA                      32  conf.compRingBasePA
 *   32  conf.compRingBasePA                      56  conf.rxRingSize[0]     60 rxRingSize[1]
 *   56  txRingSize  60 dataRingSize              64  conf.compRingSize
 *   64  compRingSize                             72  conf.intrIdx (u8)
 *   72  conf.intrIdx (u8)                        80  status (stopped u8, error u32 at 84)
 *   80  status (stopped u8, error u32 at 84)     88  stats (UPT1_RxStats, 10 x u64)
 *   88  stats (UPT1_TxStats, 10 x u64)
 * </pre>
 */
public final class Vmxnet3SharedLayout {
    /** {@code VMXNET3_REV1_MAGIC}: the device refuses to activate without it. */
    public static final int MAGIC = 0xBABEFEE1;
    public static final int DRIVER_SHARED_BYTES = 720;

    public static final int MAGIC_OFFSET = 0;
    public static final int DRIVER_VERSION = 8;
    public static final int GUEST_OS_INFO = 12;
    public static final int REVISION_SUPPORTED = 16;
    public static final int UPT_VERSION_SUPPORTED = 20;
    public static final int UPT_FEATURES = 24;
    public static final int QUEUE_DESC_PA = 40;
    public static final int QUEUE_DESC_LEN = 52;
    public static final int MTU_OFFSET = 56;
    public static final int MAX_RX_SG = 60;
    public static final int NUM_TX_QUEUES = 62;
    public static final int NUM_RX_QUEUES = 63;
    public static final int INTR_AUTO_MASK = 80;
    public static final int INTR_NUM = 81;
    public static final int INTR_EVENT_INDEX = 82;
    public static final int INTR_CTRL = 108;
    public static final int RX_MODE = 120;
    public static final int ECR_OFFSET = 696;

    /**
     * {@code Vmxnet3_GOSInfo}: gosBits (bits 0-1) = 2 (64-bit), gosType (bits 2-5) = 1 (Linux).
     * QEMU keys one behaviour on it: for every type but Windows it may use rx ring 2 for the
     * body of a packet that spans buffers (none here: {@code maxNumRxSG} is 1).
     */
    public static final int GUEST_OS_64BIT_LINUX = 2 | (1 << 2);
    /** {@code intrCtrl} bit {@code VMXNET3_IC_DISABLE_ALL}: poll mode. */
    public static final int INTR_DISABLE_ALL = 0x1;
    /** {@code VMXNET3_RXM_UCAST}: frames to our MAC. */
    public static final int RX_MODE_UNICAST = 0x01;
    /** {@code VMXNET3_RXM_BCAST}: broadcast (ARP needs it). */
    public static final int RX_MODE_BROADCAST = 0x04;

    /** Queue descriptor table alignment ({@code VMXNET3_QUEUE_DESC_ALIGN}). */
    public static final int QUEUE_DESC_ALIGN = 128;
    public static final int TX_QUEUE_DESC_BYTES = 256;
    public static final int RX_QUEUE_DESC_BYTES = 256;

    // Vmxnet3_TxQueueDesc
    public static final int TXQ_NUM_DEFERRED = 0;
    public static final int TXQ_THRESHOLD = 4;
    public static final int TXQ_RING_PA = 16;
    public static final int TXQ_DATA_RING_PA = 24;
    public static final int TXQ_COMP_RING_PA = 32;
    public static final int TXQ_RING_SIZE = 56;
    public static final int TXQ_DATA_RING_SIZE = 60;
    public static final int TXQ_COMP_RING_SIZE = 64;
    public static final int TXQ_INTR_INDEX = 72;
    public static final int TXQ_STOPPED = 80;
    public static final int TXQ_ERROR = 84;
    public static final int TXQ_STATS = 88;

    // Vmxnet3_RxQueueDesc
    public static final int RXQ_UPDATE_RX_PROD = 0;
    public static final int RXQ_RING1_PA = 16;
    public static final int RXQ_RING2_PA = 24;
    public static final int RXQ_COMP_RING_PA = 32;
    public static final int RXQ_RING1_SIZE = 56;
    public static final int RXQ_RING2_SIZE = 60;
    public static final int RXQ_COMP_RING_SIZE = 64;
    public static final int RXQ_INTR_INDEX = 72;
    public static final int RXQ_STOPPED = 80;
    public static final int RXQ_ERROR = 84;
    public static final int RXQ_STATS = 88;

    /** Number of u64 counters in {@code UPT1_TxStats} and in {@code UPT1_RxStats}. */
    public static final int STATS_COUNTERS = 10;

    private Vmxnet3SharedLayout() {
    }
}
