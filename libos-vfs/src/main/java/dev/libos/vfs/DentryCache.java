package dev.libos.vfs;

import dev.libos.vfs.spi.Vnode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dentry cache of one mount: (directory vnode, name) to child vnode, least recently used
 * entries evicted past a capacity. Positive entries only: a miss asks the file system.
 *
 * <p>Guarded by the owning {@link Mount}'s lock (not thread-safe by itself). The VFS drops an
 * entry whenever the name it caches is unlinked or renamed, so an entry is never stale.
 */
final class DentryCache {
    private record Key(Vnode dir, String name) {
    }

    private final LinkedHashMap<Key, Vnode> entries;
    private long hits;
    private long misses;

    DentryCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dentry cache capacity must be positive: " + capacity);
        }
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Vnode> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The child {@code name} of {@code dir}: from the cache, else from the file system (null if absent). */
    Vnode lookup(Vnode dir, String name) throws VfsException {
        Key key = new Key(dir, name);
        Vnode cached = entries.get(key);
        if (cached != null) {
            hits++;
            return cached;
        }
        misses++;
        Vnode found = dir.lookup(name);
        if (found != null) {
            entries.put(key, found);
        }
        return found;
    }

    void forget(Vnode dir, String name) {
        entries.remove(new Key(dir, name));
    }

    void clear() {
        entries.clear();
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }
}
