package dev.libos.hw.virtio;

/**
 * Offsets in virtio-net's device configuration ({@code struct virtio_net_config}, VIRTIO 1.2
 * section 5.1.4):
 * <pre>
 *  0      6         8                      10    12
 *  +------+---------+----------------------+-----+
 *  | mac  | status  | max_virtqueue_pairs  | mtu | ...
 *  +------+---------+----------------------+-----+
 * </pre>
 */
public final class VirtioNetConfig {
    public static final int MAC_OFFSET = 0;
    public static final int MAC_LENGTH = 6;
    /** Valid with VIRTIO_NET_F_STATUS. */
    public static final int STATUS_OFFSET = 6;
    public static final int MAX_VIRTQUEUE_PAIRS_OFFSET = 8;
    /** Valid with VIRTIO_NET_F_MTU. */
    public static final int MTU_OFFSET = 10;
    /** Status bit: the link is up. */
    public static final int STATUS_LINK_UP = 1;

    /** Queue index of receiveq1 (section 5.1.2). */
    public static final int RECEIVE_QUEUE = 0;
    /** Queue index of transmitq1. */
    public static final int TRANSMIT_QUEUE = 1;

    private VirtioNetConfig() {
    }
}
