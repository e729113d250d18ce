package dev.libos.hw.hosted.net;

import java.util.PriorityQueue;

/**
 * The frames on their way to one device, ordered by delivery time (ties in the order they were
 * sent), bounded in frames. Senders and the receiver may be on different threads: every method
 * holds the queue's monitor, and never while calling out.
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
        return true;
    }

    /** The first frame due at {@code nowNanos}, removed, or null. */
    synchronized byte[] pollDue(long nowNanos) {
        InFlight head = frames.peek();
        if (head == null || head.deliveryNanos > nowNanos) {
            return null;
        }
        frames.poll();
        return head.frame;
    }

    /** The delivery time of the next frame, or {@link Long#MAX_VALUE} when none is in flight. */
    synchronized long nextDeliveryNanos() {
        InFlight head = frames.peek();
        return head == null ? Long.MAX_VALUE : head.deliveryNanos;
    }

    synchronized int size() {
        return frames.size();
    }
}
