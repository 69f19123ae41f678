package kap.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for the admin status page.
 */
final class DnsStats {

    final LongAdder queries = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder forwarded = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder rebindingDropped = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder busy = new LongAdder();
    final LongAdder tcpConnections = new LongAdder();

    /**
     * A snapshot.
     *
     * @param cacheEntries current cache size
     * @return counters by name
     */
    Map<String, Object> snapshot(int cacheEntries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queries", queries.sum());
        m.put("cache_hits", cacheHits.sum());
        m.put("forwarded", forwarded.sum());
        m.put("refused", refused.sum());
        m.put("malformed", malformed.sum());
        m.put("rate_limited", rateLimited.sum());
        m.put("rebinding_dropped", rebindingDropped.sum());
        m.put("upstream_failures", upstreamFailures.sum());
        m.put("busy", busy.sum());
        m.put("tcp_connections", tcpConnections.sum());
        m.put("cache_entries", cacheEntries);
        return m;
    }
}
