package kap.dns;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code rate} queries per second, bursts of up to one second's worth. Clients
 * idle for a minute are forgotten once the table grows past {@link #MAX_CLIENTS}, so a spoofed flood cannot grow it
 * without bound.
 */
final class ClientRateLimiter {

    /** Table size at which idle clients are swept. */
    static final int MAX_CLIENTS = 10_000;
    private static final long IDLE_NANOS = 60_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /** What the limiter says about one query. */
    enum Verdict {
        /** Within the rate. */
        PASS,
        /** Over the rate; the first refusal of this client in this second, so it is audited. */
        REFUSE_AND_AUDIT,
        /** Over the rate; already audited this second. */
        REFUSE
    }

    /**
     * Takes a token for the client.
     *
     * @param client client address
     * @param rate queries per second
     * @param nowNanos {@link System#nanoTime()}
     * @return the verdict
     */
    Verdict acquire(InetAddress client, int rate, long nowNanos) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= MAX_CLIENTS) {
                sweep(nowNanos);
            }
            bucket = buckets.computeIfAbsent(client, c -> new Bucket(rate, nowNanos));
        }
        return bucket.take(rate, nowNanos);
    }

    private void sweep(long nowNanos) {
        buckets.values().removeIf(b -> b.idle(nowNanos));
        if (buckets.size() >= MAX_CLIENTS) {
            buckets.clear();
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;
        private long lastAudit;

        Bucket(int rate, long now) {
            this.tokens = rate;
            this.last = now;
            this.lastAudit = now - SECOND;
        }

        synchronized Verdict take(int rate, long now) {
            tokens = Math.min(rate, tokens + (now - last) * (double) rate / SECOND);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Verdict.PASS;
            }
            if (now - lastAudit >= SECOND) {
                lastAudit = now;
                return Verdict.REFUSE_AND_AUDIT;
            }
            return Verdict.REFUSE;
        }

        synchronized boolean idle(long now) {
            return now - last > IDLE_NANOS;
        }
    }
}
