package kap.policy;

import java.time.Duration;

/**
 * {@code [proxy.dns]}: how the DNS forwarder answers and what it guards.
 *
 * @param deniedAnswer answer for a denied name; default {@link DeniedAnswer#NXDOMAIN}
 * @param logAllowed whether allowed queries are audited too; default {@code false}
 * @param cacheEntries cache size in answers; default 10,000
 * @param upstreamTimeout time to wait for one upstream before trying the next; default 2 s
 * @param zoneBudgetPerMinute unique names per minute under one zone before queries are refused; default 120
 * @param clientQueriesPerSecond queries per second per client address; default 200
 * @param maxLabelLength longest label forwarded; default 63
 * @param maxNameLength longest name forwarded; default 253
 */
public record DnsConfig(DeniedAnswer deniedAnswer, boolean logAllowed, int cacheEntries, Duration upstreamTimeout,
                        int zoneBudgetPerMinute, int clientQueriesPerSecond, int maxLabelLength, int maxNameLength) {

    /** The defaults. */
    public static final DnsConfig DEFAULTS = new DnsConfig(DeniedAnswer.NXDOMAIN, false, 10_000,
            Duration.ofSeconds(2), 120, 200, HostPort.MAX_LABEL_LENGTH, HostPort.MAX_NAME_LENGTH);

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public DnsConfig {
        if (deniedAnswer == null) {
            throw new IllegalArgumentException("denied_answer is required");
        }
        if (cacheEntries < 0) {
            throw new IllegalArgumentException("cache_entries must not be negative");
        }
        if (upstreamTimeout == null || upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
            throw new IllegalArgumentException("upstream_timeout must be a positive duration");
        }
        if (zoneBudgetPerMinute < 1 || clientQueriesPerSecond < 1) {
            throw new IllegalArgumentException("zone_budget and client_rate must be positive");
        }
        if (maxLabelLength < 1 || maxLabelLength > HostPort.MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("max_label_length must be between 1 and 63");
        }
        if (maxNameLength < 1 || maxNameLength > HostPort.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("max_name_length must be between 1 and 253");
        }
    }

    /** The answer to a denied query. */
    public enum DeniedAnswer {
        /** The name does not exist (RFC 1035 RCODE 3). Most clients give up at once. */
        NXDOMAIN,
        /** The server refuses to answer (RCODE 5). */
        REFUSED
    }
}
