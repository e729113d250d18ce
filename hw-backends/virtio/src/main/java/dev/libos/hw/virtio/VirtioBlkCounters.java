package dev.libos.hw.virtio;

import dev.libos.api.stat.SingleWriterCounter;

/**
 * Statistics of one virtio-blk device, written by the thread that holds the device's request
 * lock and readable (possibly slightly stale) from any thread.
 */
public final class VirtioBlkCounters {
    final SingleWriterCounter reads = new SingleWriterCounter();
    final SingleWriterCounter writes = new SingleWriterCounter();
    final SingleWriterCounter flushes = new SingleWriterCounter();
    final SingleWriterCounter bytesRead = new SingleWriterCounter();
    final SingleWriterCounter bytesWritten = new SingleWriterCounter();
    final SingleWriterCounter ioErrors = new SingleWriterCounter();
    final SingleWriterCounter unsupported = new SingleWriterCounter();
    final SingleWriterCounter timeouts = new SingleWriterCounter();
    final SingleWriterCounter badCompletions = new SingleWriterCounter();
    final SingleWriterCounter lateCompletions = new SingleWriterCounter();
    final SingleWriterCounter notifications = new SingleWriterCounter();

    /** Read requests completed with OK. */
    public long reads() {
        return reads.get();
    }

    /** Write requests completed with OK. */
    public long writes() {
        return writes.get();
    }

    /** Flush requests completed with OK. */
    public long flushes() {
        return flushes.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Requests the device answered with IOERR. */
    public long ioErrors() {
        return ioErrors.get();
    }

    /** Requests the device answered with UNSUPP. */
    public long unsupported() {
        return unsupported.get();
    }

    /** Requests abandoned because the device did not complete them before the deadline. */
    public long timeouts() {
        return timeouts.get();
    }

    /** Completions with an impossible length or status byte (the device misbehaved). */
    public long badCompletions() {
        return badCompletions.get();
    }

    /** Completions of requests already abandoned after a timeout (their slot is reused only then). */
    public long lateCompletions() {
        return lateCompletions.get();
    }

    /** Times the device was notified. */
    public long notifications() {
        return notifications.get();
    }

    @Override
    public String toString() {
        return "VirtioBlkCounters[reads=" + reads + ", writes=" + writes + ", flushes=" + flushes
                + ", bytesRead=" + bytesRead + ", bytesWritten=" + bytesWritten + ", ioErrors=" + ioErrors
                + ", unsupported=" + unsupported + ", timeouts=" + timeouts + ", badCompletions=" + badCompletions
                + ", lateCompletions=" + lateCompletions + ", notifications=" + notifications + "]";
    }
}
