package dev.libos.core.sync;

/**
 * The life of one wait in a {@link ParkingQueue}. A waiter starts {@link #WAITING}; exactly one
 * transition out of it succeeds (a CAS), so a wake is never spent on a waiter that is leaving.
 */
enum WaitState {
    /** Queued and parked (or about to park). */
    WAITING,
    /** Chosen by a waker; the wake belongs to this waiter. */
    WOKEN,
    /** Its timeout fired first. */
    TIMED_OUT,
    /** It was interrupted first. */
    INTERRUPTED,
    /** It left of its own accord (its condition became true before it parked). */
    CANCELLED
}
