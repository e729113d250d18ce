package dev.libos.core.memory;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free, allocation-free LIFO of the integers {@code 0 .. capacity-1}: a Treiber stack
 * whose nodes are array slots, with a version tag against ABA.
 *
 * <p>The head is one {@code long}: the low 32 bits hold the top index (or {@link #EMPTY}), the
 * high 32 bits a version bumped by every successful push and pop. Why that suffices: a pop reads
 * {@code head}, then {@code next[top]}, then CASes {@code head}. If in between another thread
 * popped {@code top} and pushed it back with a different {@code next}, the version moved on and
 * the CAS fails, so a stale {@code next} is never installed. (The version would have to wrap
 * through 2^32 operations between one thread's read and its CAS to fool it.)
 *
 * <p>An index must be pushed only by the one thread that owns it (it came from a pop, or from
 * {@link #fill()}); the buffer pool enforces that with its per-buffer state.
 */
final class IndexStack {
    /** Returned by {@link #pop()} when the stack is empty. */
    static final int EMPTY = -1;

    private static final long INDEX_MASK = 0xFFFF_FFFFL;

    private final AtomicLong head = new AtomicLong(pack(0, EMPTY));
    private final AtomicIntegerArray next;

    IndexStack(int capacity) {
        this.next = new AtomicIntegerArray(capacity);
    }

    /** Pushes every index, so that pops return 0, 1, 2, ... first. Call before publishing the stack. */
    void fill() {
        for (int i = next.length() - 1; i >= 0; i--) {
            push(i);
        }
    }

    void push(int index) {
        while (true) {
            long h = head.get();
            // Ordering: the link is written before the CAS that makes index the top, so a pop
            // that reads this head (a volatile read) also reads this link.
            next.set(index, indexOf(h));
            if (head.compareAndSet(h, pack(versionOf(h) + 1, index))) {
                return;
            }
        }
    }

    /** Pops an index, or returns {@link #EMPTY}. */
    int pop() {
        while (true) {
            long h = head.get();
            int top = indexOf(h);
            if (top == EMPTY) {
                return EMPTY;
            }
            int below = next.get(top); // may be stale if top moved meanwhile: the CAS then fails
            if (head.compareAndSet(h, pack(versionOf(h) + 1, below))) {
                return top;
            }
        }
    }

    private static long pack(int version, int index) {
        return ((long) version << 32) | (index & INDEX_MASK);
    }

    private static int indexOf(long head) {
        return (int) head;
    }

    private static int versionOf(long head) {
        return (int) (head >>> 32);
    }
}
