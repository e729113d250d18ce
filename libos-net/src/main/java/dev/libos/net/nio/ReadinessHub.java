package dev.libos.net.nio;

import dev.libos.api.net.Readiness;
import dev.libos.api.net.ReadinessListener;
import dev.libos.api.net.SocketEndpoint;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Fans one socket's readiness out to many listeners: the selection keys of every selector the
 * channel is registered with, and the threads blocked in the channel's blocking calls (a reader
 * and a writer may wait at the same time). A socket has one listener slot; the hub takes it for
 * the life of the channel.
 */
final class ReadinessHub implements ReadinessListener {
    private static final ReadinessListener[] NONE = {};

    private final SocketEndpoint endpoint;
    /** Copy-on-write: read without a lock by {@link #onReadiness}, replaced under the hub's monitor. */
    private volatile ReadinessListener[] listeners = NONE;

    ReadinessHub(SocketEndpoint endpoint) {
        this.endpoint = endpoint;
        endpoint.addReadinessListener(this); // for the socket's lifetime: the hub lives as long as it
    }

    SocketEndpoint endpoint() {
        return endpoint;
    }

    /** The socket's current readiness ({@link dev.libos.api.net.Readiness} bits). */
    int readyOps() {
        return endpoint.readyOps();
    }

    @Override
    public void onReadiness(int readyOps) {
        for (ReadinessListener listener : listeners) {
            listener.onReadiness(readyOps);
        }
    }

    /**
     * Adds a listener and tells it the current readiness at once: a change that happened before
     * the listener was visible in the array is not lost.
     */
    void add(ReadinessListener listener) {
        synchronized (this) {
            ReadinessListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
            next[next.length - 1] = listener;
            listeners = next; // volatile write: publishes the new array to signalling threads
        }
        listener.onReadiness(endpoint.readyOps());
    }

    synchronized void remove(ReadinessListener listener) {
        ReadinessListener[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                ReadinessListener[] next = new ReadinessListener[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                listeners = next;
                return;
            }
        }
    }

    /**
     * Parks the calling thread until the socket is ready for any of {@code ops}, the socket is
     * closed, or the thread is interrupted. Callers re-try their operation afterwards, so a
     * spurious return is harmless. No timeout: NIO's blocking calls have none.
     */
    void await(int ops) {
        Thread waiter = Thread.currentThread();
        ReadinessListener wake = ready -> {
            if ((ready & ops) != 0) {
                LockSupport.unpark(waiter);
            }
        };
        add(wake);
        try {
            // The listener is in place before this check: a change after it unparks us, and an
            // unpark before park() makes park() return at once.
            while ((endpoint.readyOps() & ops) == 0 && endpoint.isOpen() && !waiter.isInterrupted()) {
                LockSupport.park(this);
            }
        } finally {
            remove(wake);
        }
    }

    /** Wakes every blocked thread and key so that they look again (used on close). */
    void signalAll() {
        onReadiness(Readiness.READ | Readiness.WRITE | Readiness.CONNECT | Readiness.ACCEPT);
    }
}
