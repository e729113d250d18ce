package dev.libos.hw.hosted.net;

import java.util.PriorityQueue;

/**
 * The frames on their way to one device, ordered by delivery time (ties in the order they were
 * sent), bounded in frames. Senders and the receiver may be on different threads: every method
 * that changes the queue holds its monitor, and never while calling out.
 *
 * <p>The receiver polls while its CPU is idle, usually finding nothing due: {@link #pollDue}
 * first reads {@code headDeliveryNanos}, a volatile copy of the head's delivery time, and takes
 * the monitor only when a frame is due, so an empty poll neither locks nor contends with a
 * sender (profiled in issue 12: a third of a libos CPU's samples were empty, locked polls).
 */
final class DeliveryQueue {
    private record InFlight(long deliveryNanos, long sequence, byte[] frame) {
    }

    private final PriorityQueue<InFlight> frames = new PriorityQueue<>((x, y) -> {
        int byTime = Long.compare(x.deliveryNanos, y.deliveryNanos);
        return byTime != 0 ? byTime : Long.compare(x.sequence, y.sequence);
    });
    private final int capacityFrames;
    private long nextSequence;
    /**
     * The head's delivery time, {@link Long#MAX_VALUE} when empty; written under the monitor
     * after every change. Ordering: a sender writes it (volatile) before it calls the arrival
     * listener, so a receiver woken by that listener reads the new head; a receiver that read
     * the old value and missed the frame is woken (kicked) again by the listener.
     */
    private volatile long headDeliveryNanos = Long.MAX_VALUE;

    DeliveryQueue(int capacityFrames) {
        if (capacityFrames < 1) {
            throw new IllegalArgumentException("capacityFrames must be >= 1: " + capacityFrames);
        }
        this.capacityFrames = capacityFrames;
    }

    synchronized boolean hasRoom() {
        return frames.size() < capacityFrames;
    }

    /** Told of every frame queued, outside the monitor (the receiving device's listener). */
    private volatile Runnable arrivalListener;

    void setArrivalListener(Runnable listener) {
        this.arrivalListener = listener;
    }

    /** Queues {@code frame} (not copied) for delivery at {@code deliveryNanos}; false when full. */
    boolean offer(long deliveryNanos, byte[] frame) {
        if (!enqueue(deliveryNanos, frame)) {
            return false;
        }
        Runnable listener = arrivalListener;
        if (listener != null) {
            listener.run();
        }
        return true;
    }

    private synchronized boolean enqueue(long deliveryNanos, byte[] frame) {
        if (frames.size() >= capacityFrames) {
            return false;
        }
        frames.add(new InFlight(deliveryNanos, nextSequence++, frame));
        publishHead();
        return true;
    }

    /** The first frame due at {@code nowNanos}, removed, or null. */
    byte[] pollDue(long nowNanos) {
        if (headDeliveryNanos > nowNanos) {
            return null; // nothing due: no monitor taken (see headDeliveryNanos)
        }
        return takeDue(nowNanos);
    }

    private synchronized byte[] takeDue(long nowNanos) {
        InFlight head = frames.peek();
        if (head == null || head.deliveryNanos > nowNanos) {
            return null;
        }
        frames.poll();
        publishHead();
        return head.frame;
    }

    /** Under the monitor: republishes the head's delivery time after a change. */
    private void publishHead() {
        InFlight head = frames.peek();
        headDeliveryNanos = head == null ? Long.MAX_VALUE : head.deliveryNanos;
    }

    /** The delivery time of the next frame, or {@link Long#MAX_VALUE} when none is in flight. */
    long nextDeliveryNanos() {
        return headDeliveryNanos;
    }

    synchronized int size() {
        return frames.size();
    }
}
