package dev.libos.api.sync;

/**
 * Read-copy-update. Readers pay nothing but a plain load: a read-side section runs on a libos
 * thread between {@link #readLock()} and {@link #readUnlock()} and must not block inside it.
 * Writers publish a new version with {@link RcuPointer#assign} and reclaim the old one after a
 * grace period, which ends once every virtual CPU has passed through its scheduler loop (a
 * quiescent state) or was idle.
 */
public interface Rcu {
    /** Opens a read-side section on the calling libos thread (nestable). */
    void readLock();

    /** Closes the innermost read-side section. */
    void readUnlock();

    /** Parks until a grace period has elapsed: no reader that started before this call still runs. */
    void synchronize() throws InterruptedException;

    /** Runs {@code callback} on a CPU loop once a grace period after this call has elapsed. */
    void callAfterGracePeriod(Runnable callback);

    /** A new pointer for values published under this RCU domain. */
    <T> RcuPointer<T> newPointer(T initial);

    /** Grace periods completed since boot. */
    long completedGracePeriods();
}
