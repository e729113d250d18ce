package dev.libos.core.sync;

/**
 * Test seam in {@link HandOffMutex}'s contended paths: a test pauses a thread at one of these
 * points to force an interleaving that is otherwise a window of a few instructions. Production
 * code uses {@link #NONE}. Each method runs on the thread that reaches the point.
 */
interface MutexContentionHook {
    /** Does nothing (the JIT removes the calls). */
    MutexContentionHook NONE = new MutexContentionHook() {};

    /** In {@code lock()}: the caller has incremented {@code count} but not yet enqueued itself. */
    default void afterCommit() {}

    /** In {@code lock()}: the caller has enqueued itself and not yet looked at the hand-off token. */
    default void afterEnqueue() {}

    /** In {@code unlock()}: the caller found the queue empty, published a token, and has not re-checked. */
    default void afterHandoffPublished() {}
}
