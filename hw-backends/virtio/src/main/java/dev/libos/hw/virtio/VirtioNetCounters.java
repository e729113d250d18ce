package dev.libos.hw.virtio;

/** Statistics of a virtio-net device, written by its polling thread, readable from any thread. */
public final class VirtioNetCounters {
    volatile long rxFrames;
    volatile long rxBytes;
    volatile long rxErrors;
    volatile long rxChecksumTrusted;
    volatile long txFrames;
    volatile long txBytes;
    volatile long txChecksumOffloaded;
    volatile long txQueueFull;
    volatile long txDropped;
    volatile long notifications;

    /** Frames delivered to the stack. */
    public long rxFrames() {
        return rxFrames;
    }

    /** Bytes of delivered frames (without the virtio-net header). */
    public long rxBytes() {
        return rxBytes;
    }

    /**
     * Received packets dropped: invalid length, shorter than header + Ethernet header; with
     * mergeable buffers also num_buffers 0 or above the queue size, fewer buffers in the used ring
     * than num_buffers announced, or a frame longer than the MTU allows (each packet once).
     */
    public long rxErrors() {
        return rxErrors;
    }

    /**
     * Delivered frames the device vouched for (GUEST_CSUM: DATA_VALID or NEEDS_CSUM), whose
     * transport checksum the stack does not verify again.
     */
    public long rxChecksumTrusted() {
        return rxChecksumTrusted;
    }

    /** Frames handed to the device. */
    public long txFrames() {
        return txFrames;
    }

    public long txBytes() {
        return txBytes;
    }

    /** Frames sent with NEEDS_CSUM: the device completes their checksum (VIRTIO_NET_F_CSUM). */
    public long txChecksumOffloaded() {
        return txChecksumOffloaded;
    }

    /** Transmit attempts refused for lack of space (back-pressure). */
    public long txQueueFull() {
        return txQueueFull;
    }

    /** Frames dropped because the transmit queue is broken. */
    public long txDropped() {
        return txDropped;
    }

    /** Queue notifications written to the device. */
    public long notifications() {
        return notifications;
    }

    @Override
    public String toString() {
        return "VirtioNetCounters[rxFrames=" + rxFrames + ", rxBytes=" + rxBytes + ", rxErrors=" + rxErrors
                + ", rxChecksumTrusted=" + rxChecksumTrusted + ", txFrames=" + txFrames + ", txBytes=" + txBytes
                + ", txChecksumOffloaded=" + txChecksumOffloaded + ", txQueueFull=" + txQueueFull
                + ", txDropped=" + txDropped + ", notifications=" + notifications + "]";
    }
}
