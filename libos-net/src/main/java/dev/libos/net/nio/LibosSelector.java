package dev.libos.net.nio;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A {@link Selector} over libos sockets. No polling: sockets report readiness changes through
 * their listeners; a key whose socket became ready for an operation of interest queues itself as
 * a candidate and unparks the selecting thread (a libos thread gives its CPU away while parked).
 *
 * <p>The protocol. A selection operation (1) deregisters cancelled keys, (2) re-queues the keys
 * it found ready last time (readiness is level-triggered, as with {@code epoll} in level mode:
 * a channel left ready is reported again), (3) takes candidates off the queue and reads each
 * socket's current readiness, and (4) returns if any key was ready, {@link #wakeup()} was
 * called, the timeout passed or the thread was interrupted; otherwise it parks and goes back to
 * (3). Like the JDK's selectors it returns when a ready key is found even if no ready set changed
 * (the count is then 0).
 *
 * <p>Before it parks, a platform thread polls the queue for a short, adaptive window
 * ({@link SelectSpin}, {@code libos.nio.selectSpinMicros}), and a key that becomes ready
 * unparks the selecting thread only once it has parked: a request/response exchange whose next
 * request comes within the window then costs no host-level wakeup of the event loop.
 *
 * <p>Sets: {@link #keys()} may be read by any thread; the selected-key set is not thread-safe,
 * as the {@link Selector} contract says, and a selection operation holds its monitor.
 */
public final class LibosSelector extends AbstractSelector {
    private final Set<LibosSelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = new UngrowableSet(selected);
    private final ConcurrentLinkedQueue<LibosSelectionKey> candidates = new ConcurrentLinkedQueue<>();
    /** Keys found ready by the last selection; touched only under the selector's monitor. */
    private final ArrayList<LibosSelectionKey> readyLastTime = new ArrayList<>();
    /**
     * The selecting thread while it is parked or about to park, else null: only then must a
     * waker unpark it (a spinning selector sees the queue by itself).
     */
    private volatile Thread parkedThread;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Touched only under the selector's monitor, by the selecting thread. */
    private final SelectSpin spin = SelectSpin.fromSystemProperties();

    LibosSelector(SelectorProvider provider) {
        super(provider);
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return doSelect(null, -1);
    }

    @Override
    public int select(long timeoutMillis) throws IOException {
        return doSelect(null, timeoutNanos(timeoutMillis));
    }

    @Override
    public int select() throws IOException {
        return doSelect(null, 0);
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeoutMillis) throws IOException {
        return doSelect(Objects.requireNonNull(action, "action"), timeoutNanos(timeoutMillis));
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return doSelect(Objects.requireNonNull(action, "action"), 0);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        return doSelect(Objects.requireNonNull(action, "action"), -1);
    }

    /**
     * Wakes the thread in a selection operation, or makes the next one return at once. Calls
     * between two selections count as one; {@link #selectNow()} clears it.
     */
    @Override
    public Selector wakeup() {
        // Ordering: the flag is set before the parked thread is read; the selector publishes
        // itself as parked before it reads the flag. One of the two sees the other (volatile
        // accesses, a Dekker pair).
        wakeupPending.set(true);
        Thread t = parkedThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return this;
    }

    /** Queues a key whose readiness or interest changed, and wakes a parked selection. */
    void offer(LibosSelectionKey key) {
        if (key.markQueued()) {
            candidates.offer(key);
            // Ordering: the key is in the queue (a CAS) before the parked thread is read; the
            // selector publishes itself as parked before it looks at the queue a last time.
            // Either it finds the key or we unpark it.
            Thread t = parkedThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private static long timeoutNanos(long timeoutMillis) {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("negative select timeout: " + timeoutMillis);
        }
        return TimeUnit.MILLISECONDS.toNanos(timeoutMillis); // 0: no limit
    }

    /**
     * @param action null to use the selected-key set
     * @param timeoutNanos negative: do not block; 0: no limit
     */
    private int doSelect(Consumer<SelectionKey> action, long timeoutNanos) throws IOException {
        synchronized (this) {
            ensureOpen();
            synchronized (publicSelected) {
                if (timeoutNanos < 0) {
                    wakeupPending.set(false); // selectNow clears earlier wakeups
                }
                int updated;
                boolean completed = false;
                try {
                    begin(); // an interrupt now wakes us up
                    deregisterCancelled();
                    updated = poll(action, timeoutNanos);
                    completed = true;
                } finally {
                    parkedThread = null;
                    end();
                    if (completed) {
                        deregisterCancelled();
                    }
                }
                return updated;
            }
        }
    }

    private int poll(Consumer<SelectionKey> action, long timeoutNanos) {
        for (LibosSelectionKey k : readyLastTime) {
            if (k.markQueued()) {
                candidates.offer(k);
            }
        }
        readyLastTime.clear();
        Thread me = Thread.currentThread();
        boolean maySpin = timeoutNanos >= 0 && !me.isVirtual(); // see SelectSpin
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        boolean waiting = false;
        while (true) {
            int updated = 0;
            boolean anyReady = false;
            LibosSelectionKey key;
            while ((key = candidates.poll()) != null) {
                // Cleared before readiness is read: a change after the read queues the key again.
                key.clearQueued();
                if (!key.isValid()) {
                    continue;
                }
                int ops = key.readiness().readyOps() & key.interestOpsUnchecked();
                if (ops == 0) {
                    continue;
                }
                anyReady = true;
                readyLastTime.add(key);
                updated += action == null ? record(key, ops) : dispatch(key, ops, action);
            }
            // A plain read first: the spin below must not write the flag's cache line per poll.
            boolean woken = wakeupPending.get() && wakeupPending.getAndSet(false);
            if (anyReady || woken || timeoutNanos < 0 || me.isInterrupted() || !isOpen()) {
                if (waiting && maySpin) {
                    spin.waitEnded(System.nanoTime());
                }
                return updated;
            }
            long now = System.nanoTime();
            if (timeoutNanos > 0 && deadline - now <= 0) {
                if (waiting && maySpin) {
                    spin.waitEnded(now);
                }
                return 0;
            }
            if (!waiting) {
                waiting = true;
                if (maySpin) {
                    spin.waitStarted(now);
                }
            }
            if (maySpin && spin.keepPolling(now)) {
                Thread.onSpinWait();
                continue;
            }
            if (maySpin) {
                spin.parking();
            }
            park(me, timeoutNanos > 0 ? deadline - now : 0);
        }
    }

    /** Parks unless a key or a wakeup came in after the last look; {@code parkNanos} 0: no limit. */
    private void park(Thread me, long parkNanos) {
        parkedThread = me; // volatile write, then the volatile reads below: see offer() and wakeup()
        try {
            if (!candidates.isEmpty() || wakeupPending.get() || me.isInterrupted() || !isOpen()) {
                return;
            }
            if (parkNanos > 0) {
                LockSupport.parkNanos(this, parkNanos);
            } else {
                LockSupport.park(this);
            }
        } finally {
            parkedThread = null;
        }
    }

    /** Adds the key to the selected set or widens its ready set; 1 when its ready set changed. */
    private int record(LibosSelectionKey key, int ops) {
        if (selected.contains(key)) {
            int old = key.readyOpsUnchecked();
            if ((ops & ~old) == 0) {
                return 0;
            }
            key.setReadyOps(old | ops); // earlier readiness is kept while the key stays selected
            return 1;
        }
        key.setReadyOps(ops); // earlier readiness is discarded
        selected.add(key);
        return 1;
    }

    private int dispatch(LibosSelectionKey key, int ops, Consumer<SelectionKey> action) {
        key.setReadyOps(ops);
        action.accept(key);
        ensureOpen(); // the action may have closed the selector
        return 1;
    }

    private void deregisterCancelled() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            if (cancelled.isEmpty()) {
                return;
            }
            for (SelectionKey k : cancelled) {
                LibosSelectionKey key = (LibosSelectionKey) k;
                keys.remove(key);
                selected.remove(key);
                key.readiness().remove(key);
                deregister(key);
            }
            cancelled.clear();
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel channel, int ops, Object attachment) {
        if (!(channel instanceof LibosChannel libos) || channel.provider() != provider()) {
            throw new IllegalSelectorException();
        }
        ensureOpen();
        LibosSelectionKey key = new LibosSelectionKey(channel, this, libos.readiness(), ops);
        key.attach(attachment);
        keys.add(key);
        libos.readiness().add(key); // tells the key the current readiness: it queues itself if ready
        if (!isOpen()) { // closed concurrently: the closer may have missed this key
            keys.remove(key);
            libos.readiness().remove(key);
            throw new ClosedSelectorException();
        }
        return key;
    }

    @Override
    protected void implCloseSelector() throws IOException {
        wakeup();
        synchronized (this) {
            synchronized (publicSelected) {
                for (LibosSelectionKey key : keys) {
                    key.cancel();
                }
                deregisterCancelled();
                keys.clear();
                selected.clear();
                readyLastTime.clear();
                candidates.clear();
            }
        }
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    /** The selected-key set as the user sees it: removal allowed, addition not. */
    private static final class UngrowableSet extends AbstractSet<SelectionKey> {
        private final Set<SelectionKey> keys;

        UngrowableSet(Set<SelectionKey> keys) {
            this.keys = keys;
        }

        @Override
        public Iterator<SelectionKey> iterator() {
            return keys.iterator();
        }

        @Override
        public int size() {
            return keys.size();
        }

        @Override
        public boolean contains(Object o) {
            return keys.contains(o);
        }

        @Override
        public boolean remove(Object o) {
            return keys.remove(o);
        }

        @Override
        public void clear() {
            keys.clear();
        }
    }
}
