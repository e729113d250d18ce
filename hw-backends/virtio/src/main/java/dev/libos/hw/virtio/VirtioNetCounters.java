package dev.libos.hw.virtio;

import dev.libos.api.stat.SingleWriterCounter;

/**
 * Statistics of a virtio-net device, written by one thread at a time (the poller, or a sender
 * under the stack's lock), readable from any thread ({@link SingleWriterCounter}).
 */
public final class VirtioNetCounters {
    final SingleWriterCounter rxFrames = new SingleWriterCounter();
    final SingleWriterCounter rxBytes = new SingleWriterCounter();
    final SingleWriterCounter rxErrors = new SingleWriterCounter();
    final SingleWriterCounter rxChecksumTrusted = new SingleWriterCounter();
    final SingleWriterCounter rxLargeSegments = new SingleWriterCounter();
    final SingleWriterCounter txFrames = new SingleWriterCounter();
    final SingleWriterCounter txBytes = new SingleWriterCounter();
    final SingleWriterCounter txChecksumOffloaded = new SingleWriterCounter();
    final SingleWriterCounter txQueueFull = new SingleWriterCounter();
    final SingleWriterCounter txDropped = new SingleWriterCounter();
    final SingleWriterCounter notifications = new SingleWriterCounter();
    /** Written by the interrupt thread only. */
    final SingleWriterCounter interrupts = new SingleWriterCounter();
    final SingleWriterCounter receiveArms = new SingleWriterCounter();

    /** Frames delivered to the stack. */
    public long rxFrames() {
        return rxFrames.get();
    }

    /** Bytes of delivered frames (without the virtio-net header). */
    public long rxBytes() {
        return rxBytes.get();
    }

    /**
     * Received packets dropped: invalid length, shorter than header + Ethernet header; with
     * mergeable buffers also num_buffers 0 or above the queue size, fewer buffers in the used ring
     * than num_buffers announced, or a frame longer than the MTU allows (each packet once).
     */
    public long rxErrors() {
        return rxErrors.get();
    }

    /**
     * Delivered frames the device vouched for (GUEST_CSUM: DATA_VALID or NEEDS_CSUM), whose
     * transport checksum the stack does not verify again.
     */
    public long rxChecksumTrusted() {
        return rxChecksumTrusted.get();
    }

    /**
     * Delivered frames that carry a segment larger than the MTU (GUEST_TSO4: the device passed
     * on a host's unsegmented TCP segment; gso_type not NONE).
     */
    public long rxLargeSegments() {
        return rxLargeSegments.get();
    }

    /** Frames handed to the device. */
    public long txFrames() {
        return txFrames.get();
    }

    public long txBytes() {
        return txBytes.get();
    }

    /** Frames sent with NEEDS_CSUM: the device completes their checksum (VIRTIO_NET_F_CSUM). */
    public long txChecksumOffloaded() {
        return txChecksumOffloaded.get();
    }

    /** Transmit attempts refused for lack of space (back-pressure). */
    public long txQueueFull() {
        return txQueueFull.get();
    }

    /** Frames dropped because the transmit queue is broken. */
    public long txDropped() {
        return txDropped.get();
    }

    /** Queue notifications written to the device. */
    public long notifications() {
        return notifications.get();
    }

    /** Interrupts handled (uio): each acknowledged and passed on as a receive wakeup. */
    public long interrupts() {
        return interrupts.get();
    }

    /** Times an idle poller armed the receive queue's notifications before sleeping. */
    public long receiveArms() {
        return receiveArms.get();
    }

    @Override
    public String toString() {
        return "VirtioNetCounters[rxFrames=" + rxFrames + ", rxBytes=" + rxBytes + ", rxErrors=" + rxErrors
                + ", rxChecksumTrusted=" + rxChecksumTrusted + ", rxLargeSegments=" + rxLargeSegments + ", txFrames=" + txFrames + ", txBytes=" + txBytes
                + ", txChecksumOffloaded=" + txChecksumOffloaded + ", txQueueFull=" + txQueueFull
                + ", txDropped=" + txDropped + ", notifications=" + notifications + ", interrupts=" + interrupts + ", receiveArms=" + receiveArms + "]";
    }
}
