package dev.libos.net.nio;

import dev.libos.api.net.ReadinessListener;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A channel's registration with a {@link LibosSelector}. It listens to the channel's readiness
 * and, when the socket becomes ready for an operation of interest, queues itself as a candidate
 * for the selector's next look.
 */
final class LibosSelectionKey extends AbstractSelectionKey implements ReadinessListener {
    private final SelectableChannel channel;
    private final LibosSelector selector;
    private final ReadinessHub readiness;
    private volatile int interestOps;
    /** Written and read by the selecting thread (and by the owner of the selected-key set). */
    private volatile int readyOps;
    /** True while the key sits in the selector's candidate queue: it is queued at most once. */
    private final AtomicBoolean queued = new AtomicBoolean();

    LibosSelectionKey(SelectableChannel channel, LibosSelector selector, ReadinessHub readiness, int interestOps) {
        this.channel = channel;
        this.selector = selector;
        this.readiness = readiness;
        this.interestOps = interestOps;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    /**
     * Sets the interest set. It takes effect at once: the key becomes a candidate, and a select
     * in progress looks at it.
     */
    @Override
    public SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("operations not valid for " + channel + ": " + ops);
        }
        interestOps = ops;
        selector.offer(this);
        return this;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    int interestOpsUnchecked() {
        return interestOps;
    }

    int readyOpsUnchecked() {
        return readyOps;
    }

    void setReadyOps(int ops) {
        readyOps = ops;
    }

    ReadinessHub readiness() {
        return readiness;
    }

    /** Claims the right to queue this key; false when it is queued already. */
    boolean markQueued() {
        return queued.compareAndSet(false, true);
    }

    /** Called by the selector when it takes the key off the queue, before it reads readiness. */
    void clearQueued() {
        queued.set(false);
    }

    @Override
    public void onReadiness(int ops) {
        // Only a change that makes an operation of interest ready can end a select; losing
        // readiness needs no wakeup (the selector re-reads readiness before reporting).
        if ((ops & interestOps) != 0 && isValid()) {
            selector.offer(this);
        }
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }

    @Override
    public String toString() {
        return "LibosSelectionKey[" + channel + (isValid() ? ", interest=" + interestOps + ", ready=" + readyOps : ", cancelled") + "]";
    }
}
