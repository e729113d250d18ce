package dev.libos.hw.virtio;

/**
 * Statistics of one virtqueue, written only by the thread that drives the queue and readable
 * (possibly slightly stale) from any thread.
 */
public final class VirtqueueCounters {
    volatile long buffersAdded;
    volatile long buffersCompleted;
    volatile long notificationsSent;
    volatile long notificationsSuppressed;
    volatile long droppedIdOutOfRange;
    volatile long droppedIdNotInFlight;
    volatile long badLength;
    volatile long usedIndexJumps;

    /** Chains made available to the device. */
    public long buffersAdded() {
        return buffersAdded;
    }

    /** Chains the device returned with a valid id (including those with a bad length). */
    public long buffersCompleted() {
        return buffersCompleted;
    }

    /** Publications after which the device asked to be notified. */
    public long notificationsSent() {
        return notificationsSent;
    }

    /** Publications after which the device did not need a notification. */
    public long notificationsSuppressed() {
        return notificationsSuppressed;
    }

    /** Used elements naming a descriptor id at or beyond the queue size: dropped. */
    public long droppedIdOutOfRange() {
        return droppedIdOutOfRange;
    }

    /** Used elements naming an id that is not the head of a chain in flight (a duplicate): dropped. */
    public long droppedIdNotInFlight() {
        return droppedIdNotInFlight;
    }

    /** Used elements whose length exceeded the chain's device-writable bytes: delivered as invalid. */
    public long badLength() {
        return badLength;
    }

    /** Times the used index moved by more than the queue size (the queue is then broken). */
    public long usedIndexJumps() {
        return usedIndexJumps;
    }

    /** Everything the device did wrong. */
    public long deviceErrors() {
        return droppedIdOutOfRange + droppedIdNotInFlight + badLength + usedIndexJumps;
    }

    @Override
    public String toString() {
        return "VirtqueueCounters[added=" + buffersAdded + ", completed=" + buffersCompleted
                + ", notified=" + notificationsSent + ", suppressed=" + notificationsSuppressed
                + ", idOutOfRange=" + droppedIdOutOfRange + ", idNotInFlight=" + droppedIdNotInFlight
                + ", badLength=" + badLength + ", usedIndexJumps=" + usedIndexJumps + "]";
    }
}
