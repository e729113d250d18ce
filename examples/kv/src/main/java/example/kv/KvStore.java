package example.kv;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The key space: string values by key, each with an optional expiry instant. Safe for
 * concurrent use (the server's event loops share one store); each operation on one key is
 * atomic. Time is a parameter ({@code nowMillis}, any monotonic clock in milliseconds).
 *
 * <p>Expiry, as Redis does it: lazily, an expired entry is removed when an operation finds it;
 * and actively, {@link #expireCycle} visits keys that have an expiry a few at a time and removes
 * the expired ones, so keys nobody reads again do not stay in memory.
 */
final class KvStore {
    /** An entry's expiry when it has none. */
    static final long NEVER = Long.MAX_VALUE;
    /** Keys {@link #expireCycle} visits per round (Redis: ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
    static final int CYCLE_SAMPLE = 20;
    /** Rounds at most per cycle, so one cycle's work is bounded. */
    static final int CYCLE_MAX_ROUNDS = 16;

    /** A value and when it expires ({@link #NEVER} for never). Immutable: updates replace it. */
    record Entry(byte[] value, long expireAtMillis) {
        boolean expiredAt(long nowMillis) {
            return expireAtMillis <= nowMillis;
        }
    }

    /** SET's condition on the key's existence. */
    enum Condition { ALWAYS, IF_ABSENT, IF_PRESENT }

    /** EXPIRE's condition on the key's current expiry. */
    enum ExpireCondition { ALWAYS, IF_NO_EXPIRY, IF_HAS_EXPIRY, IF_GREATER, IF_LESS }

    /** The outcome of {@link #incrementBy}. */
    enum IncrementStatus { DONE, NOT_AN_INTEGER, OVERFLOW }

    /** {@link #incrementBy}'s result: its status, and the new value when it is {@code DONE}. */
    record Increment(IncrementStatus status, long value) {
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    /** Keys that were given an expiry; may hold keys that lost it or are gone ({@link #expireCycle} drops them). */
    private final Set<Key> withExpiry = ConcurrentHashMap.newKeySet();
    private final LongAdder expiredKeys = new LongAdder();
    /** Where the expire cycle goes on; used only by the one thread that runs the cycle. */
    private Iterator<Key> cycleCursor;

    /** The live value of {@code key}, or null. */
    byte[] get(Key key, long nowMillis) {
        Entry entry = live(key, nowMillis);
        return entry == null ? null : entry.value();
    }

    /** Whether {@code key} has a live value. */
    boolean exists(Key key, long nowMillis) {
        return live(key, nowMillis) != null;
    }

    /**
     * Sets {@code key} to {@code value} when {@code condition} holds.
     *
     * @param expireAtMillis the new expiry, or {@link #NEVER}; ignored when {@code keepExpiry}
     * @param keepExpiry keep the current expiry of a live key (SET's KEEPTTL)
     * @return whether the value was set
     */
    boolean set(Key key, byte[] value, long expireAtMillis, Condition condition, boolean keepExpiry, long nowMillis) {
        if (condition == Condition.ALWAYS && !keepExpiry) {
            entries.put(key, new Entry(value, expireAtMillis));
            trackExpiry(key, expireAtMillis);
            return true;
        }
        boolean[] applied = new boolean[1];
        Entry result = entries.compute(key, (k, old) -> {
            Entry current = old == null || old.expiredAt(nowMillis) ? null : old;
            if ((condition == Condition.IF_ABSENT && current != null) || (condition == Condition.IF_PRESENT && current == null)) {
                return current;
            }
            applied[0] = true;
            return new Entry(value, keepExpiry && current != null ? current.expireAtMillis() : expireAtMillis);
        });
        if (result != null) {
            trackExpiry(key, result.expireAtMillis());
        }
        return applied[0];
    }

    /** Removes the keys; returns how many had a live value (a key named twice counts once). */
    int delete(List<Key> keys, long nowMillis) {
        int removed = 0;
        for (Key key : keys) {
            Entry old = entries.remove(key);
            if (old != null && !old.expiredAt(nowMillis)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Adds {@code delta} to the integer value of {@code key} (0 when it has none), keeping its
     * expiry: NOT_AN_INTEGER when the value is not a 64-bit decimal integer, OVERFLOW when the
     * sum is not one; the value is unchanged in both cases.
     */
    Increment incrementBy(Key key, long delta, long nowMillis) {
        Increment[] result = new Increment[1];
        entries.compute(key, (k, old) -> {
            Entry current = old == null || old.expiredAt(nowMillis) ? null : old;
            long value = 0;
            if (current != null) {
                Long parsed = RespNumbers.parseLong(current.value());
                if (parsed == null) {
                    result[0] = new Increment(IncrementStatus.NOT_AN_INTEGER, 0);
                    return current;
                }
                value = parsed;
            }
            long sum = value + delta;
            if (((value ^ sum) & (delta ^ sum)) < 0) { // both operands' sign differs from the sum's: overflow
                result[0] = new Increment(IncrementStatus.OVERFLOW, 0);
                return current;
            }
            result[0] = new Increment(IncrementStatus.DONE, sum);
            return new Entry(RespNumbers.ascii(sum), current == null ? NEVER : current.expireAtMillis());
        });
        return result[0];
    }

    /**
     * Gives {@code key} the expiry {@code expireAtMillis} when it is live and {@code condition}
     * holds (an instant not after now deletes it). Returns whether it did.
     */
    boolean expire(Key key, long expireAtMillis, ExpireCondition condition, long nowMillis) {
        boolean[] applied = new boolean[1];
        Entry result = entries.compute(key, (k, old) -> {
            Entry current = old == null || old.expiredAt(nowMillis) ? null : old;
            if (current == null || !holds(condition, current.expireAtMillis(), expireAtMillis)) {
                return current;
            }
            applied[0] = true;
            return expireAtMillis <= nowMillis ? null : new Entry(current.value(), expireAtMillis);
        });
        if (result != null) {
            trackExpiry(key, result.expireAtMillis());
        }
        return applied[0];
    }

    private static boolean holds(ExpireCondition condition, long currentExpiry, long newExpiry) {
        return switch (condition) {
            case ALWAYS -> true;
            case IF_NO_EXPIRY -> currentExpiry == NEVER;
            case IF_HAS_EXPIRY -> currentExpiry != NEVER;
            // As Redis: no expiry counts as an infinite one for GT and LT.
            case IF_GREATER -> currentExpiry != NEVER && newExpiry > currentExpiry;
            case IF_LESS -> newExpiry < currentExpiry;
        };
    }

    /** Milliseconds until {@code key} expires; -1 when it never does, -2 when it has no live value. */
    long ttlMillis(Key key, long nowMillis) {
        Entry entry = live(key, nowMillis);
        if (entry == null) {
            return -2;
        }
        return entry.expireAtMillis() == NEVER ? -1 : entry.expireAtMillis() - nowMillis;
    }

    /** Keys held, including expired ones not removed yet (as Redis's DBSIZE). */
    long size() {
        return entries.mappingCount();
    }

    /** Removes every key. */
    void clear() {
        entries.clear();
        withExpiry.clear();
    }

    /** Keys removed because they expired, lazily or by the cycle. */
    long expiredKeys() {
        return expiredKeys.sum();
    }

    /**
     * One active expiry cycle: visits up to {@value #CYCLE_SAMPLE} keys that were given an
     * expiry, removes the expired ones, and goes on with another round while more than a quarter
     * of a round had expired (Redis's rule), at most {@value #CYCLE_MAX_ROUNDS} rounds. Runs on
     * one thread at a time. Returns the number of keys removed.
     */
    int expireCycle(long nowMillis) {
        int removed = 0;
        for (int round = 0; round < CYCLE_MAX_ROUNDS; round++) {
            int visited = 0;
            int expired = 0;
            while (visited < CYCLE_SAMPLE) {
                if (cycleCursor == null || !cycleCursor.hasNext()) {
                    cycleCursor = withExpiry.iterator();
                    if (!cycleCursor.hasNext()) {
                        return removed;
                    }
                }
                Key key = cycleCursor.next();
                visited++;
                Entry entry = entries.get(key);
                if (entry == null || entry.expireAtMillis() == NEVER) {
                    untrack(key);
                } else if (entry.expiredAt(nowMillis) && remove(key, entry)) {
                    untrack(key);
                    expired++;
                }
            }
            removed += expired;
            if (expired * 4 <= visited) {
                return removed;
            }
        }
        return removed;
    }

    private Entry live(Key key, long nowMillis) {
        Entry entry = entries.get(key);
        if (entry != null && entry.expiredAt(nowMillis)) {
            remove(key, entry);
            return null;
        }
        return entry;
    }

    private boolean remove(Key key, Entry expired) {
        if (entries.remove(key, expired)) {
            expiredKeys.increment();
            return true;
        }
        return false;
    }

    private void trackExpiry(Key key, long expireAtMillis) {
        if (expireAtMillis != NEVER) {
            withExpiry.add(key);
        }
    }

    /** Drops {@code key} from the keys with an expiry, unless a writer gave it one meanwhile. */
    private void untrack(Key key) {
        withExpiry.remove(key);
        Entry now = entries.get(key);
        if (now != null && now.expireAtMillis() != NEVER) {
            withExpiry.add(key);
        }
    }
}
