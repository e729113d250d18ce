package dev.libos.hw.virtio;

/**
 * The memory layout of a virtio 1.x split virtqueue (VIRTIO 1.2, section 2.7), all fields
 * little-endian (VIRTIO_F_VERSION_1, section 2.7.1 "Legacy interfaces" no longer apply).
 *
 * <p>Descriptor table (section 2.7.5), {@code queueSize} entries of 16 bytes, 16-byte aligned:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    addr (le64, device address)                |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    len (le32, bytes)                          |
 *  +-------------------------------+-------------------------------+
 *  |  flags (le16: NEXT|WRITE|IND) |  next (le16, descriptor id)   |
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Available ring (section 2.7.6), written by the driver, 2-byte aligned:
 * <pre>
 *  +---------------+---------------+---------------+-----+---------------------------+
 *  | flags (le16)  |  idx (le16)   | ring[0] (le16)| ... | used_event (le16)         |
 *  +---------------+---------------+---------------+-----+---------------------------+
 *    0               2               4                     4 + 2 * queueSize
 * </pre>
 *
 * <p>Used ring (section 2.7.8), written by the device, 4-byte aligned:
 * <pre>
 *  +---------------+---------------+--------------------------------+-----+-------------------+
 *  | flags (le16)  |  idx (le16)   | ring[0]: id (le32), len (le32) | ... | avail_event (le16)|
 *  +---------------+---------------+--------------------------------+-----+-------------------+
 *    0               2               4                                      4 + 8 * queueSize
 * </pre>
 * {@code used_event} and {@code avail_event} exist only with VIRTIO_F_EVENT_IDX (section 2.7.10).
 */
public final class VirtqueueDescriptor {
    /** Bytes of one descriptor table entry. */
    public static final int DESCRIPTOR_LENGTH = 16;
    public static final int DESCRIPTOR_ADDRESS_OFFSET = 0;
    public static final int DESCRIPTOR_LENGTH_OFFSET = 8;
    public static final int DESCRIPTOR_FLAGS_OFFSET = 12;
    public static final int DESCRIPTOR_NEXT_OFFSET = 14;
    /** Required alignment of the descriptor table (section 2.7, table "Virtqueue Part Alignment"). */
    public static final int DESCRIPTOR_TABLE_ALIGNMENT = 16;

    /** The buffer continues in the descriptor named by {@code next}. */
    public static final short FLAG_NEXT = 1;
    /** The buffer is device write-only (otherwise device read-only). */
    public static final short FLAG_WRITE = 2;
    /** The buffer holds an indirect descriptor table (not used by this driver). */
    public static final short FLAG_INDIRECT = 4;

    public static final int AVAIL_FLAGS_OFFSET = 0;
    public static final int AVAIL_IDX_OFFSET = 2;
    public static final int AVAIL_RING_OFFSET = 4;
    public static final int AVAIL_ELEMENT_LENGTH = 2;
    public static final int AVAIL_RING_ALIGNMENT = 2;
    /** Driver asks the device not to interrupt (ignored by a device with EVENT_IDX negotiated). */
    public static final short AVAIL_F_NO_INTERRUPT = 1;

    public static final int USED_FLAGS_OFFSET = 0;
    public static final int USED_IDX_OFFSET = 2;
    public static final int USED_RING_OFFSET = 4;
    public static final int USED_ELEMENT_LENGTH = 8;
    public static final int USED_ELEMENT_ID_OFFSET = 0;
    public static final int USED_ELEMENT_LEN_OFFSET = 4;
    public static final int USED_RING_ALIGNMENT = 4;
    /** Device asks the driver not to notify (ignored by a driver with EVENT_IDX negotiated). */
    public static final short USED_F_NO_NOTIFY = 1;

    /** Largest queue size of a split virtqueue (section 2.7: 32768). */
    public static final int MAX_QUEUE_SIZE = 32768;

    private VirtqueueDescriptor() {
    }

    /** Offset of descriptor {@code id} in the descriptor table. */
    public static long descriptorOffset(int id) {
        return (long) id * DESCRIPTOR_LENGTH;
    }

    /** Offset of available ring slot {@code slot} (already reduced modulo the queue size). */
    public static long availRingOffset(int slot) {
        return AVAIL_RING_OFFSET + (long) slot * AVAIL_ELEMENT_LENGTH;
    }

    /** Offset of {@code used_event}, after the available ring's last slot. */
    public static long usedEventOffset(int queueSize) {
        return AVAIL_RING_OFFSET + (long) queueSize * AVAIL_ELEMENT_LENGTH;
    }

    /** Offset of used ring element {@code slot} (already reduced modulo the queue size). */
    public static long usedRingOffset(int slot) {
        return USED_RING_OFFSET + (long) slot * USED_ELEMENT_LENGTH;
    }

    /** Offset of {@code avail_event}, after the used ring's last element. */
    public static long availEventOffset(int queueSize) {
        return USED_RING_OFFSET + (long) queueSize * USED_ELEMENT_LENGTH;
    }

    /** Bytes of the descriptor table. */
    public static long descriptorTableBytes(int queueSize) {
        return (long) queueSize * DESCRIPTOR_LENGTH;
    }

    /** Bytes of the available ring, including {@code used_event}. */
    public static long availRingBytes(int queueSize) {
        return usedEventOffset(queueSize) + 2;
    }

    /** Bytes of the used ring, including {@code avail_event}. */
    public static long usedRingBytes(int queueSize) {
        return availEventOffset(queueSize) + 2;
    }

    /**
     * Whether the other side asked to be notified when the index moved from {@code oldIdx} to
     * {@code newIdx} and its event index is {@code eventIdx}: the {@code vring_need_event} rule
     * of section 2.7.10, in 16-bit arithmetic: notify when {@code eventIdx} lies in
     * {@code [oldIdx, newIdx)}.
     */
    public static boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xFFFF) < ((newIdx - oldIdx) & 0xFFFF);
    }

    /**
     * Validates a queue size: a power of two between 1 and {@link #MAX_QUEUE_SIZE} (section 2.7:
     * split queue sizes are powers of two).
     *
     * @throws IllegalArgumentException naming the bad size
     */
    public static int checkQueueSize(int queueSize) {
        if (queueSize < 1 || queueSize > MAX_QUEUE_SIZE || Integer.bitCount(queueSize) != 1) {
            throw new IllegalArgumentException("queueSize must be a power of two in [1, 32768]: " + queueSize);
        }
        return queueSize;
    }
}
