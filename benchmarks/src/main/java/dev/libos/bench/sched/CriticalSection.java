package dev.libos.bench.sched;

import dev.libos.api.sync.Mutex;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tiny critical section of the mutex benchmarks: increment a plain counter under a lock. The
 * counter is deliberately not atomic, so an exact final count proves the lock excluded.
 */
public abstract class CriticalSection {
    /** Incremented only under the lock; read after the workers are joined. */
    protected long counter;

    /** Takes the lock, increments the counter, releases the lock. */
    public abstract void increment();

    /** The counter value (call after the workers are joined). */
    public final long counter() {
        return counter;
    }

    /** Sets the counter back to 0 before a batch. */
    public final void reset() {
        counter = 0;
    }

    /** The section for {@code impl}; a libos one uses a new mutex of {@code state}'s kernel. */
    public static CriticalSection of(ImplState state) {
        return switch (state.impl()) {
            case LIBOS -> new LibosMutexSection(state.os().sync().newMutex());
            case REENTRANT_LOCK -> new ReentrantLockSection();
            case SYNCHRONIZED -> new SynchronizedSection();
            default -> throw new IllegalArgumentException("no critical section for impl " + state.impl().paramValue());
        };
    }

    private static final class LibosMutexSection extends CriticalSection {
        private final Mutex mutex;

        LibosMutexSection(Mutex mutex) {
            this.mutex = mutex;
        }

        @Override
        public void increment() {
            mutex.lock();
            try {
                counter++;
            } finally {
                mutex.unlock();
            }
        }
    }

    private static final class ReentrantLockSection extends CriticalSection {
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        public void increment() {
            lock.lock();
            try {
                counter++;
            } finally {
                lock.unlock();
            }
        }
    }

    private static final class SynchronizedSection extends CriticalSection {
        private final Object monitor = new Object();

        @Override
        public void increment() {
            synchronized (monitor) {
                counter++;
            }
        }
    }
}
