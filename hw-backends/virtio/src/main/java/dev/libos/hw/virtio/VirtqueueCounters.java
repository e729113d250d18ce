package dev.libos.hw.virtio;

import dev.libos.api.stat.SingleWriterCounter;

/**
 * Statistics of one virtqueue, written only by the thread that drives the queue and readable
 * (possibly slightly stale) from any thread ({@link SingleWriterCounter}: no fence per update).
 */
public final class VirtqueueCounters {
    final SingleWriterCounter buffersAdded = new SingleWriterCounter();
    final SingleWriterCounter buffersCompleted = new SingleWriterCounter();
    final SingleWriterCounter notificationsSent = new SingleWriterCounter();
    final SingleWriterCounter notificationsSuppressed = new SingleWriterCounter();
    final SingleWriterCounter droppedIdOutOfRange = new SingleWriterCounter();
    final SingleWriterCounter droppedIdNotInFlight = new SingleWriterCounter();
    final SingleWriterCounter badLength = new SingleWriterCounter();
    final SingleWriterCounter usedIndexJumps = new SingleWriterCounter();

    /** Chains made available to the device. */
    public long buffersAdded() {
        return buffersAdded.get();
    }

    /** Chains the device returned with a valid id (including those with a bad length). */
    public long buffersCompleted() {
        return buffersCompleted.get();
    }

    /** Publications after which the device asked to be notified. */
    public long notificationsSent() {
        return notificationsSent.get();
    }

    /** Publications after which the device did not need a notification. */
    public long notificationsSuppressed() {
        return notificationsSuppressed.get();
    }

    /** Used elements naming a descriptor id at or beyond the queue size: dropped. */
    public long droppedIdOutOfRange() {
        return droppedIdOutOfRange.get();
    }

    /** Used elements naming an id that is not the head of a chain in flight (a duplicate): dropped. */
    public long droppedIdNotInFlight() {
        return droppedIdNotInFlight.get();
    }

    /** Used elements whose length exceeded the chain's device-writable bytes: delivered as invalid. */
    public long badLength() {
        return badLength.get();
    }

    /** Times the used index moved by more than the queue size (the queue is then broken). */
    public long usedIndexJumps() {
        return usedIndexJumps.get();
    }

    /** Everything the device did wrong. */
    public long deviceErrors() {
        return droppedIdOutOfRange.get() + droppedIdNotInFlight.get() + badLength.get() + usedIndexJumps.get();
    }

    @Override
    public String toString() {
        return "VirtqueueCounters[added=" + buffersAdded + ", completed=" + buffersCompleted
                + ", notified=" + notificationsSent + ", suppressed=" + notificationsSuppressed
                + ", idOutOfRange=" + droppedIdOutOfRange + ", idNotInFlight=" + droppedIdNotInFlight
                + ", badLength=" + badLength + ", usedIndexJumps=" + usedIndexJumps + "]";
    }
}
