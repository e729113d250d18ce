package dev.libos.bench.libs;

import dev.libos.core.concurrent.MpscQueues;
import org.jctools.queues.varhandle.MpscLinkedVarHandleQueue;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/** The unbounded MPSC queues {@link MpscQueueBenchmark} compares, behind one small interface. */
final class MpscQueueImpls {
    /** libos-core's former hand-written Vyukov queue ({@link MpscLinkedQueue}). */
    static final String LIBOS = "libos";
    /** JCTools' linked queue: the same Vyukov algorithm as libos's, with padding. */
    static final String JCTOOLS_LINKED = "jctools-linked";
    /** JCTools' unbounded chunked array queue, as libos-core uses it ({@link MpscQueues}). */
    static final String JCTOOLS_ARRAY = "jctools-array";

    /** An unbounded queue: offer from any thread, poll from one. */
    interface Queue {
        void offer(Object element);

        /** The oldest reachable element or null, never waiting for a producer mid-offer. */
        Object poll();
    }

    private MpscQueueImpls() {
    }

    /** @throws IllegalArgumentException naming {@code impl} when it is none of the above */
    static Queue of(String impl) {
        return switch (impl) {
            case LIBOS -> {
                MpscLinkedQueue<Object> q = new MpscLinkedQueue<>();
                yield new Queue() {
                    public void offer(Object e) { q.offer(e); }
                    public Object poll() { return q.poll(); }
                };
            }
            case JCTOOLS_LINKED -> {
                MpscLinkedVarHandleQueue<Object> q = new MpscLinkedVarHandleQueue<>();
                yield new Queue() {
                    public void offer(Object e) { q.offer(e); }
                    public Object poll() { return q.relaxedPoll(); }
                };
            }
            case JCTOOLS_ARRAY -> {
                MpscUnboundedVarHandleArrayQueue<Object> q = MpscQueues.unbounded();
                yield new Queue() {
                    public void offer(Object e) { q.offer(e); }
                    public Object poll() { return q.relaxedPoll(); }
                };
            }
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        };
    }
}
