package dev.libos.api.time;

/** A scheduled timer. */
public interface TimerHandle {
    /**
     * Cancels the timer. A one-shot timer that has not fired yet will not fire; a periodic timer
     * fires no more. Idempotent.
     *
     * @return true if this call stopped a pending firing, false if the timer had already fired
     *     (one-shot) or was already cancelled
     */
    boolean cancel();

    /** True once the timer has been cancelled. */
    boolean isCancelled();
}
