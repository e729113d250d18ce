package dev.libos.core.concurrent;

import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * The kernel's many-producer, one-consumer queues (a CPU's incoming wakeups, its timer inbox,
 * RCU's callback requests): JCTools' unbounded chunked array queue in its VarHandle build
 * (jctools-core-jdk11, no {@code sun.misc.Unsafe}). It replaced libos's own Vyukov linked queue:
 * it allocates one chunk per {@value #CHUNK} elements instead of a node per element, and in
 * benchmarks suite {@code libs} ({@code MpscQueue.offerPoll}) it is several times faster (figures
 * in docs/architecture.md).
 *
 * <p>What the kernel relies on, and where JCTools provides it:
 * <ul>
 *   <li>{@code offer} claims its slot with a compare-and-set of the producer index, a sequentially
 *       consistent read-modify-write, and {@code isEmpty()} compares the consumer and producer
 *       indices with volatile loads. That is the producer's half of the Dekker pair in
 *       {@code Cpu.wake()}: the sleeper writes {@code sleeping = true} and then calls
 *       {@code isEmpty()}, the poster offers and then reads {@code sleeping}; one of them sees the
 *       other's write.</li>
 *   <li>Consumers call {@code relaxedPoll()}, which returns null (instead of spinning) while a
 *       producer has claimed a slot but not yet stored its element; {@code isEmpty()} is then
 *       false, so the CPU does not park and polls again on its next pass.</li>
 *   <li>Per producer, elements come out in the order they went in.</li>
 * </ul>
 */
public final class MpscQueues {
    /** Elements per chunk: a wakeup burst rarely fills one; a full chunk links a new one. */
    public static final int CHUNK = 128;

    private MpscQueues() {
    }

    /** A new empty queue; offer from any thread, {@code relaxedPoll} from one. */
    public static <E> MpscUnboundedVarHandleArrayQueue<E> unbounded() {
        return new MpscUnboundedVarHandleArrayQueue<>(CHUNK);
    }
}
