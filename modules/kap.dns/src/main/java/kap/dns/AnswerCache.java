package kap.dns;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The answer cache: least recently used first out, bounded by {@code cache_entries} (read per call, so a reload that
 * shrinks it takes effect on the next insert). Stale entries are dropped when met. Positive answers live for their
 * smallest TTL, negative ones per RFC 2308 (see {@link CachedAnswer}).
 *
 * <p>Thread-safe; one lock, held only for a map operation.
 */
final class AnswerCache {

    /**
     * A cache key: lower-case name and type (class is always IN).
     *
     * @param name normalised name
     * @param type query type
     */
    record Key(String name, int type) {
    }

    private final LinkedHashMap<Key, CachedAnswer> entries = new LinkedHashMap<>(1024, 0.75f, true);

    /**
     * A fresh entry.
     *
     * @param key the key
     * @param nowNanos {@link System#nanoTime()}
     * @return the answer, or {@code null} if none is fresh
     */
    synchronized CachedAnswer get(Key key, long nowNanos) {
        CachedAnswer answer = entries.get(key);
        if (answer != null && !answer.fresh(nowNanos)) {
            entries.remove(key);
            return null;
        }
        return answer;
    }

    /**
     * Stores an answer if it is cacheable, evicting the least recently used entries beyond {@code capacity}.
     *
     * @param key the key
     * @param answer the answer
     * @param capacity maximum entries; 0 disables the cache
     */
    synchronized void put(Key key, CachedAnswer answer, int capacity) {
        if (capacity <= 0 || !answer.cacheable()) {
            return;
        }
        entries.put(key, answer);
        var it = entries.entrySet().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /**
     * Drops an entry.
     *
     * @param key the key
     */
    synchronized void remove(Key key) {
        entries.remove(key);
    }

    /**
     * Entries held, fresh or not yet swept.
     *
     * @return count
     */
    synchronized int size() {
        return entries.size();
    }

    /**
     * A copy of the keys, for tests.
     *
     * @return keys, least recently used first
     */
    synchronized List<Key> keys() {
        return List.copyOf(entries.keySet());
    }
}
