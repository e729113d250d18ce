package dev.libos.hw.virtio;

/**
 * Statistics of one virtio-blk device, written by the thread that holds the device's request
 * lock and readable (possibly slightly stale) from any thread.
 */
public final class VirtioBlkCounters {
    volatile long reads;
    volatile long writes;
    volatile long flushes;
    volatile long bytesRead;
    volatile long bytesWritten;
    volatile long ioErrors;
    volatile long unsupported;
    volatile long timeouts;
    volatile long badCompletions;
    volatile long lateCompletions;
    volatile long notifications;

    /** Read requests completed with OK. */
    public long reads() {
        return reads;
    }

    /** Write requests completed with OK. */
    public long writes() {
        return writes;
    }

    /** Flush requests completed with OK. */
    public long flushes() {
        return flushes;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /** Requests the device answered with IOERR. */
    public long ioErrors() {
        return ioErrors;
    }

    /** Requests the device answered with UNSUPP. */
    public long unsupported() {
        return unsupported;
    }

    /** Requests abandoned because the device did not complete them before the deadline. */
    public long timeouts() {
        return timeouts;
    }

    /** Completions with an impossible length or status byte (the device misbehaved). */
    public long badCompletions() {
        return badCompletions;
    }

    /** Completions of requests already abandoned after a timeout (their slot is reused only then). */
    public long lateCompletions() {
        return lateCompletions;
    }

    /** Times the device was notified. */
    public long notifications() {
        return notifications;
    }

    @Override
    public String toString() {
        return "VirtioBlkCounters[reads=" + reads + ", writes=" + writes + ", flushes=" + flushes
                + ", bytesRead=" + bytesRead + ", bytesWritten=" + bytesWritten + ", ioErrors=" + ioErrors
                + ", unsupported=" + unsupported + ", timeouts=" + timeouts + ", badCompletions=" + badCompletions
                + ", lateCompletions=" + lateCompletions + ", notifications=" + notifications + "]";
    }
}
