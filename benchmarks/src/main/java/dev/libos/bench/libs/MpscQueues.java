package dev.libos.bench.libs;

import dev.libos.core.concurrent.MpscLinkedQueue;
import org.jctools.queues.varhandle.MpscLinkedVarHandleQueue;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/** The unbounded MPSC queues {@link MpscQueueBenchmark} compares, behind one small interface. */
final class MpscQueues {
    static final String LIBOS = "libos";
    /** JCTools' linked queue: the same Vyukov algorithm as libos's, with padding. */
    static final String JCTOOLS_LINKED = "jctools-linked";
    /** JCTools' unbounded chunked array queue: one allocation per chunk, not per element. */
    static final String JCTOOLS_ARRAY = "jctools-array";

    /** Chunk length of the array queue (JCTools' own benchmarks use 128-1024). */
    static final int CHUNK = 256;

    /** An unbounded queue: offer from any thread, poll from one. */
    interface Queue {
        void offer(Object element);

        /** The oldest reachable element or null, never waiting for a producer mid-offer. */
        Object poll();
    }

    private MpscQueues() {
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
                MpscUnboundedVarHandleArrayQueue<Object> q = new MpscUnboundedVarHandleArrayQueue<>(CHUNK);
                yield new Queue() {
                    public void offer(Object e) { q.offer(e); }
                    public Object poll() { return q.relaxedPoll(); }
                };
            }
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        };
    }
}
