package dev.libos.core.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The FIFO queue of threads parked in {@link HandOffMutex#lock()}: many producers (the waiters)
 * and a single consumer at a time (whoever is currently responsible for the lock, see {@link
 * HandOffMutex}).
 *
 * <p>Layout, after OSv's {@code lockfree::queue_mpsc}: producers push onto a lock-free LIFO list
 * ({@code pushed}, one atomic reference); the consumer owns a private FIFO list ({@code popList})
 * and, when it runs dry, takes the whole pushed list with one exchange and reverses it.
 *
 * <p>Why not JCTools {@code MpscLinkedQueue} (a Vyukov queue)? Its enqueue has two steps (swap the
 * tail, then link the previous node), so between them the queue is "not empty" to {@code
 * isEmpty()} yet the consumer cannot reach the node: {@code poll()} busy-waits for the link and
 * {@code relaxedPoll()} returns null. The mutex's hand-off argument needs an enqueue that becomes
 * visible in one atomic step, on one location the unlocker can read ({@link #hasPushed()}), and it
 * must never wait for a producer. Here a push is one successful CAS: before it the node is
 * invisible, after it the consumer can take it. The CAS retry loop is lock-free, not a spin: it
 * retries only because another push succeeded. The queue is also intrusive (the node is the
 * waiter), so a contended lock allocates one object.
 */
final class MutexWaiterQueue {
    /** A parked thread waiting for the lock to be handed to it. */
    static final class Waiter {
        final Thread thread;
        /**
         * Set (release) by the thread that hands the lock over, read (acquire) by the waiter: the
         * volatile write/read pair is what makes the previous owner's critical section happen-before
         * the waiter's.
         */
        volatile boolean granted;
        /** Link in the pushed list or the pop list; written before the node is published. */
        Waiter next;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    private static final VarHandle PUSHED;

    static {
        try {
            PUSHED = MethodHandles.lookup().findVarHandle(MutexWaiterQueue.class, "pushed", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Most recently pushed waiter first; shared by all producers and the consumer. */
    @SuppressWarnings("unused") // accessed through PUSHED
    private volatile Waiter pushed;

    /**
     * Oldest waiter first; touched only by the current consumer. Plain field: consumers follow
     * one another through the mutex's hand-off, and each hand-off is a release/acquire pair (the
     * {@code count} RMW, the {@code granted} flag or the hand-off token), so every consumer sees
     * its predecessor's writes.
     */
    private Waiter popList;

    /** Adds {@code waiter} at the tail. Any thread. */
    void push(Waiter waiter) {
        Waiter head;
        do {
            head = (Waiter) PUSHED.getVolatile(this);
            // Plain write, published by the CAS below (a volatile write).
            waiter.next = head;
        } while (!PUSHED.compareAndSet(this, head, waiter)); // the push's linearisation point
    }

    /** Removes and returns the oldest waiter, or null if there is none. Consumer only. */
    Waiter poll() {
        Waiter first = popList;
        if (first == null) {
            // Take every pushed waiter at once; the exchange reads (acquire) the nodes' links.
            Waiter newestFirst = (Waiter) PUSHED.getAndSet(this, (Waiter) null);
            if (newestFirst == null) {
                return null;
            }
            first = reverse(newestFirst);
        }
        popList = first.next;
        first.next = null;
        return first;
    }

    /**
     * True if a waiter has been pushed and not yet taken into the pop list: one volatile read.
     * The unlocker calls it only when the pop list is empty, so it then means "not empty".
     */
    boolean hasPushed() {
        return PUSHED.getVolatile(this) != null;
    }

    private static Waiter reverse(Waiter newestFirst) {
        Waiter oldestFirst = null;
        Waiter node = newestFirst;
        while (node != null) {
            Waiter next = node.next;
            node.next = oldestFirst;
            oldestFirst = node;
            node = next;
        }
        return oldestFirst;
    }
}
