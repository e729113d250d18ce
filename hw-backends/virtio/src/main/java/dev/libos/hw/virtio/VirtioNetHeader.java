package dev.libos.hw.virtio;

/**
 * Layout of {@code struct virtio_net_hdr} with VIRTIO_F_VERSION_1 (VIRTIO 1.2 section 5.1.6):
 * 12 bytes, little-endian, in front of every frame in both directions ({@code num_buffers} is
 * present with VERSION_1 whether or not mergeable receive buffers were negotiated).
 * <pre>
 *   0               1               2               3
 *  +---------------+---------------+-------------------------------+
 *  | flags (u8)    | gso_type (u8) |  hdr_len (le16)               |
 *  +---------------+---------------+-------------------------------+
 *  |  gso_size (le16)              |  csum_start (le16)            |
 *  +-------------------------------+-------------------------------+
 *  |  csum_offset (le16)           |  num_buffers (le16)           |
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
public final class VirtioNetHeader {
    /** Bytes of the header. */
    public static final int LENGTH = 12;
    public static final int FLAGS_OFFSET = 0;
    public static final int GSO_TYPE_OFFSET = 1;
    public static final int HDR_LEN_OFFSET = 2;
    public static final int GSO_SIZE_OFFSET = 4;
    public static final int CSUM_START_OFFSET = 6;
    public static final int CSUM_OFFSET_OFFSET = 8;
    public static final int NUM_BUFFERS_OFFSET = 10;

    /** The checksum from csum_start must be computed (partial checksum offload). */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** Receive: the device validated the checksum. */
    public static final int FLAG_DATA_VALID = 2;
    /** No segmentation offload. */
    public static final int GSO_NONE = 0;

    private VirtioNetHeader() {
    }
}
