package dev.libos.api.net;

/**
 * The listeners of one socket, for socket implementations: a copy-on-write array, so telling
 * them ({@link #signal}) takes no lock and allocates nothing, while adding and removing (rare)
 * copy the array under the object's monitor.
 */
public final class ReadinessListeners {
    private static final ReadinessListener[] NONE = {};

    private volatile ReadinessListener[] listeners = NONE;

    /** A registered listener; closing it removes the listener (idempotent). */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Adds {@code listener} and tells it {@code currentOps} at once. */
    public Registration add(ReadinessListener listener, int currentOps) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        synchronized (this) {
            ReadinessListener[] old = listeners;
            ReadinessListener[] updated = java.util.Arrays.copyOf(old, old.length + 1);
            updated[old.length] = listener;
            listeners = updated;
        }
        listener.onReadiness(currentOps);
        return () -> remove(listener);
    }

    private synchronized void remove(ReadinessListener listener) {
        ReadinessListener[] old = listeners;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == listener) {
                ReadinessListener[] updated = new ReadinessListener[old.length - 1];
                System.arraycopy(old, 0, updated, 0, i);
                System.arraycopy(old, i + 1, updated, i, old.length - i - 1);
                listeners = updated;
                return;
            }
        }
    }

    /** Tells every listener {@code readyOps}. */
    public void signal(int readyOps) {
        for (ReadinessListener listener : listeners) {
            listener.onReadiness(readyOps);
        }
    }
}
