package dev.libos.bench.libs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An unbounded lock-free queue for many producers and one consumer (Vyukov's intrusive-style
 * MPSC list, with a node per element). Producers never wait for each other or for the consumer:
 * an offer is one atomic exchange and one release store. Per producer, elements come out in the
 * order they went in.
 *
 * <p>libos-core's own queue until JCTools' VarHandle queues replaced it ({@code MpscQueues});
 * kept here as the {@code libos} row of {@link MpscQueueBenchmark}, so the comparison that decided
 * can be run again.
 *
 * <p>Ordering points:
 * <ul>
 *   <li>{@link #offer}: the exchange of {@code tail} is sequentially consistent, so a producer's
 *       later volatile read (a CPU's {@code sleeping} flag) cannot move before it, and a consumer
 *       that reads {@code tail} in {@link #isEmpty()} after a volatile write sees the new node;</li>
 *   <li>the link {@code previous.next = node} is a release store, read with acquire by the
 *       consumer: the element's contents are visible once the node is.</li>
 * </ul>
 * Between a producer's exchange and its link the queue is non-empty but the new element is not
 * yet reachable: {@link #poll()} returns null while {@link #isEmpty()} returns false. Consumers
 * treat that as "work is arriving" and poll again.
 */
public final class MpscLinkedQueue<E> {
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(MpscLinkedQueue.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node<E> {
        E value;
        @SuppressWarnings("unused") // through NEXT
        Node<E> next;

        Node(E value) {
            this.value = value;
        }
    }

    /** Consumer-only: the last consumed node (a stub at first), whose next is the head element. */
    private Node<E> head;
    @SuppressWarnings("unused") // through TAIL
    private volatile Node<E> tail;

    public MpscLinkedQueue() {
        Node<E> stub = new Node<>(null);
        head = stub;
        tail = stub;
    }

    /** Adds {@code element} (not null); any thread. */
    public void offer(E element) {
        if (element == null) {
            throw new IllegalArgumentException("element must not be null");
        }
        Node<E> node = new Node<>(element);
        @SuppressWarnings("unchecked")
        Node<E> previous = (Node<E>) TAIL.getAndSet(this, node);
        NEXT.setRelease(previous, node);
    }

    /** Takes the oldest reachable element, or null; consumer thread only. */
    @SuppressWarnings("unchecked")
    public E poll() {
        Node<E> next = (Node<E>) NEXT.getAcquire(head);
        if (next == null) {
            return null;
        }
        E value = next.value;
        next.value = null; // the node becomes the new stub; drop the reference for the GC
        head = next;
        return value;
    }

    /** True when no element has been offered that is not yet taken; consumer thread only. */
    public boolean isEmpty() {
        return tail == head;
    }

    /** Elements reachable now; consumer thread only, O(n), for diagnostics. */
    @SuppressWarnings("unchecked")
    public int size() {
        int size = 0;
        for (Node<E> n = (Node<E>) NEXT.getAcquire(head); n != null; n = (Node<E>) NEXT.getAcquire(n)) {
            size++;
        }
        return size;
    }
}
