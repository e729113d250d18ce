package dev.libos.net.netty;

import dev.libos.api.net.ReadinessListeners;
import dev.libos.api.net.ReadinessListener;
import dev.libos.api.net.SocketEndpoint;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One handle registered with a {@link LibosIoHandler}: its socket, the readiness it is interested
 * in, and the socket's readiness listener, which queues the registration into the handler when
 * the socket becomes ready for something of interest.
 *
 * <p>Protocol: {@code queued} is true while the registration sits in the handler's ready queue,
 * so a burst of readiness changes queues it once. The event loop clears it before it reads the
 * socket's readiness; a change after that read queues the registration again.
 */
final class LibosIoRegistration implements IoRegistration, ReadinessListener {
    private static final VarHandle QUEUED;
    private static final VarHandle CANCELED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            QUEUED = lookup.findVarHandle(LibosIoRegistration.class, "queued", boolean.class);
            CANCELED = lookup.findVarHandle(LibosIoRegistration.class, "canceled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LibosIoHandler handler;
    private final LibosIoHandle handle;
    private final SocketEndpoint endpoint;
    /** Interest ({@code Readiness} bits); written on the event loop, read by listeners anywhere. */
    private volatile int interestBits;
    @SuppressWarnings("unused") // through QUEUED
    private volatile boolean queued;
    @SuppressWarnings("unused") // through CANCELED
    private volatile boolean canceled;

    LibosIoRegistration(LibosIoHandler handler, LibosIoHandle handle, SocketEndpoint endpoint) {
        this.handler = handler;
        this.handle = handle;
        this.endpoint = endpoint;
    }

    LibosIoHandle handle() {
        return handle;
    }

    /** The socket; the attachment of this registration. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) endpoint;
    }

    /** The current interest ({@code Readiness} bits). */
    int interestBits() {
        return interestBits;
    }

    /**
     * Sets the interest to {@code ops} (a {@link LibosIoOps}).
     *
     * @return the new interest bits, or -1 once cancelled
     */
    @Override
    public long submit(IoOps ops) {
        if (!(ops instanceof LibosIoOps libosOps)) {
            throw new IllegalArgumentException("not LibosIoOps: " + ops);
        }
        if (!isValid()) {
            return -1;
        }
        int bits = libosOps.bits();
        interestBits = bits;
        // Level-triggered: readiness that is already there raises no listener call, so a widened
        // interest looks at the socket itself. The interest is written before readyOps() is read,
        // and a listener reads the interest after the change it reports: either this read sees
        // the change or the listener sees the new interest (volatile accesses are totally ordered).
        if ((endpoint.readyOps() & bits) != 0) {
            enqueue();
        }
        return bits;
    }

    @Override
    public boolean isValid() {
        return !canceled;
    }

    private volatile ReadinessListeners.Registration listening;

    /** Starts hearing {@code endpoint}'s readiness (once, at registration). */
    void listenTo(dev.libos.api.net.SocketEndpoint endpoint) {
        listening = endpoint.addReadinessListener(this);
    }

    /** Stops events: removes the socket's listener and tells the handle it is unregistered. */
    @Override
    public boolean cancel() {
        if (!CANCELED.compareAndSet(this, false, true)) {
            return false;
        }
        ReadinessListeners.Registration listening = this.listening;
        if (listening != null) {
            listening.close();
        }
        handler.unregister(this);
        handle.unregistered();
        return true;
    }

    /** The socket's listener: runs on whatever thread changed readiness; never blocks. */
    @Override
    public void onReadiness(int readyOps) {
        if ((readyOps & interestBits) != 0 && isValid()) {
            enqueue();
        }
    }

    /** Queues this registration once for the event loop to look at. */
    void enqueue() {
        // The flag makes a burst of changes cost one queue entry and at most one wake-up.
        if (QUEUED.compareAndSet(this, false, true)) {
            handler.readinessChanged(this);
        }
    }

    /**
     * Tells the handle what it is ready for, on the event loop thread.
     *
     * @return true if the handle was told something
     */
    boolean dispatch() {
        // Cleared before readiness is read (volatile write, then the socket's synchronized read):
        // a change after the read finds the flag clear and queues this registration again.
        QUEUED.setVolatile(this, false);
        if (!isValid()) {
            return false;
        }
        int ready = endpoint.readyOps() & interestBits;
        if (ready == 0) {
            return false;
        }
        handle.handle(this, LibosIoEvent.of(ready));
        // Level-triggered: still ready (the read loop stopped at its budget, say) means come back
        // on the next round; no listener call would say so.
        if (isValid() && (endpoint.readyOps() & interestBits) != 0) {
            enqueue();
        }
        return true;
    }

    @Override
    public String toString() {
        return "LibosIoRegistration(" + handle + ", interest " + dev.libos.api.net.Readiness.toString(interestBits) + ")";
    }
}
