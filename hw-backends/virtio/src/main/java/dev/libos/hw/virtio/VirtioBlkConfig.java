package dev.libos.hw.virtio;

/**
 * The layouts of virtio-blk (VIRTIO 1.2 section 5.2): device configuration, request header,
 * request types, status values and feature bits.
 *
 * <p>Device configuration ({@code struct virtio_blk_config}, section 5.2.4), little-endian:
 * <pre>
 *  0                 8          12         16                20         24
 *  +-----------------+----------+----------+-----------------+----------+-- ...
 *  | capacity (le64) | size_max | seg_max  | geometry (c,h,s)| blk_size | topology, writeback ...
 *  +-----------------+----------+----------+-----------------+----------+-- ...
 * </pre>
 * {@code capacity} is in 512-byte sectors whatever {@code blk_size} says.
 *
 * <p>A request (section 5.2.6) is one descriptor chain:
 * <pre>
 *  device-readable                         device-writable (IN) / readable (OUT)   device-writable
 *  +-----------+-------------+-------------+-------------------------------------+--------+
 *  | type le32 | reserved 32 | sector le64 | data (a multiple of 512 bytes)      | status |
 *  +-----------+-------------+-------------+-------------------------------------+--------+
 *  0           4             8             16 (a separate descriptor)              1 byte
 * </pre>
 * A flush has no data descriptor.
 */
public final class VirtioBlkConfig {
    /** Offset of {@code capacity}: the size in 512-byte sectors (le64). */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of {@code size_max}: the largest single segment (le32), valid with {@link #F_SIZE_MAX}. */
    public static final int SIZE_MAX_OFFSET = 8;
    /** Offset of {@code seg_max}: the most data segments in one request (le32), valid with {@link #F_SEG_MAX}. */
    public static final int SEG_MAX_OFFSET = 12;
    /** Offset of {@code blk_size}: the optimal block size (le32), valid with {@link #F_BLK_SIZE}. */
    public static final int BLK_SIZE_OFFSET = 20;

    /** The unit of {@code capacity} and of a request's {@code sector}, always. */
    public static final int SECTOR_BYTES = 512;

    /** Request header length: type, reserved, sector. */
    public static final int HEADER_LENGTH = 16;
    public static final int HEADER_TYPE_OFFSET = 0;
    public static final int HEADER_RESERVED_OFFSET = 4;
    public static final int HEADER_SECTOR_OFFSET = 8;

    /** Request type: read ({@code VIRTIO_BLK_T_IN}). */
    public static final int TYPE_IN = 0;
    /** Request type: write ({@code VIRTIO_BLK_T_OUT}). */
    public static final int TYPE_OUT = 1;
    /** Request type: flush ({@code VIRTIO_BLK_T_FLUSH}), valid with {@link #F_FLUSH}. */
    public static final int TYPE_FLUSH = 4;
    /**
     * Request type: the device id string ({@code VIRTIO_BLK_T_GET_ID}, section 5.2.6): the device
     * writes up to {@link #ID_BYTES} bytes, NUL-terminated when shorter. QEMU answers with the
     * drive's {@code serial=}. No feature bit: a device without ids answers UNSUPP.
     */
    public static final int TYPE_GET_ID = 8;
    /** Length of the id a {@link #TYPE_GET_ID} request returns at most. */
    public static final int ID_BYTES = 20;

    /** Status: success. */
    public static final int STATUS_OK = 0;
    /** Status: the device failed the request. */
    public static final int STATUS_IOERR = 1;
    /** Status: the device does not support the request. */
    public static final int STATUS_UNSUPP = 2;

    /** Feature: {@code size_max} is valid. */
    public static final long F_SIZE_MAX = 1L << 1;
    /** Feature: {@code seg_max} is valid. */
    public static final long F_SEG_MAX = 1L << 2;
    /** Feature: the device is read-only. */
    public static final long F_RO = 1L << 5;
    /** Feature: {@code blk_size} is valid. */
    public static final long F_BLK_SIZE = 1L << 6;
    /** Feature: the device takes flush requests (it has a volatile write cache). */
    public static final long F_FLUSH = 1L << 9;

    /** The only queue this driver uses: requestq (section 5.2.2). */
    public static final int REQUEST_QUEUE = 0;

    private VirtioBlkConfig() {
    }

    /** A status byte as a name for messages. */
    public static String statusName(int status) {
        return switch (status) {
            case STATUS_OK -> "OK";
            case STATUS_IOERR -> "IOERR";
            case STATUS_UNSUPP -> "UNSUPP";
            default -> "unknown status " + status;
        };
    }
}
