package dev.libos.core.log;

import dev.libos.api.KernelLog;
import dev.libos.api.time.MonotonicClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The in-memory end of the kernel log: a lock-free ring of the most recent entries. Writers claim
 * a sequence number with one atomic increment and store the entry in slot {@code seq & mask};
 * a reader walks the last {@code capacity} sequence numbers. A reader racing a writer may see an
 * entry that is one lap newer than expected in a slot, never a torn one (entries are immutable
 * records published with a volatile store).
 */
public final class KernelLogRing implements KernelLog {
    private final AtomicReferenceArray<Entry> slots;
    private final int mask;
    private final AtomicLong written = new AtomicLong();
    private final MonotonicClock clock;

    /** @param capacity a power of two */
    public KernelLogRing(int capacity, MonotonicClock clock) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
        this.clock = clock;
    }

    public void append(String level, String source, String message) {
        long seq = written.getAndIncrement();
        slots.set((int) (seq & mask), new Entry(clock.nanoTime(), level, source, message));
    }

    @Override
    public List<Entry> recent() {
        long end = written.get();
        long start = Math.max(0, end - slots.length());
        List<Entry> entries = new ArrayList<>((int) (end - start));
        for (long seq = start; seq < end; seq++) {
            Entry e = slots.get((int) (seq & mask));
            if (e != null) {
                entries.add(e);
            }
        }
        return entries;
    }

    @Override
    public long written() {
        return written.get();
    }
}
