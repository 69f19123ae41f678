package kap.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import kap.policy.Decision;
import kap.policy.DnsConfig;
import kap.policy.HostPort;
import kap.policy.LivePolicy;
import kap.policy.Policy;
import kap.policy.Reasons;

/**
 * The query pipeline, in this order, with early returns:
 * <ol>
 *     <li>the client's rate;</li>
 *     <li>parsing: one question, opcode QUERY, EDNS version 0;</li>
 *     <li>type and class; then the name is normalised;</li>
 *     <li>length limits, single-label and special-use names, non-public reverse lookups;</li>
 *     <li>the name policy ({@link Policy#decideName});</li>
 *     <li>the cache;</li>
 *     <li>the zone's unique-name budget;</li>
 *     <li>upstream ({@link #forward}), then the rebinding guard, then the cache.</li>
 * </ol>
 * Steps 1 to 7 never block and run on the receiving thread; step 8 waits on the network and runs on a virtual thread.
 * The policy is read once per query and used throughout.
 */
final class QueryHandler {

    /** What to do with a message. */
    sealed interface Outcome permits Reply, Drop, Forward {
    }

    /**
     * Send these bytes.
     *
     * @param bytes the reply
     */
    record Reply(byte[] bytes) implements Outcome {
    }

    /** Send nothing. */
    record Drop() implements Outcome {
    }

    /**
     * Ask upstream; call {@link #forward}.
     *
     * @param query the query
     * @param name normalised name
     * @param policy the policy read for this query
     * @param decision the allow decision
     * @param client client address
     * @param tcp whether the reply goes over TCP
     */
    record Forward(Query query, String name, Policy policy, Decision decision, InetAddress client, boolean tcp)
            implements Outcome {
    }

    private static final Outcome DROP = new Drop();

    private final LivePolicy live;
    private final DnsAudit audit;
    private final AnswerCache cache = new AnswerCache();
    private final ClientRateLimiter limiter = new ClientRateLimiter();
    private final ZoneBudget budget = new ZoneBudget();
    private final Forwarding forwarding;
    private final List<String> searchDomains;
    private final DnsStats stats;

    QueryHandler(LivePolicy live, DnsAudit audit, Upstreams upstreams, ResolvConf host, DnsStats stats) {
        this.live = live;
        this.audit = audit;
        this.searchDomains = host.searchDomains();
        this.stats = stats;
        this.forwarding = new Forwarding(audit, cache, upstreams, host.nameservers(), stats);
    }

    /**
     * Steps 1 to 7: answers, refuses or drops without blocking, or says to forward.
     *
     * @param packet the message as received
     * @param client the client's address
     * @param tcp whether it came over TCP
     * @return the outcome
     */
    Outcome handle(byte[] packet, InetAddress client, boolean tcp) {
        long now = System.nanoTime();
        stats.queries.increment();
        Policy policy = live.current();
        DnsConfig dns = policy.config().proxy().dns();
        ClientRateLimiter.Verdict rate = limiter.acquire(client, dns.clientQueriesPerSecond(), now);
        if (rate != ClientRateLimiter.Verdict.PASS) {
            return rateLimited(packet, client, rate == ClientRateLimiter.Verdict.REFUSE_AND_AUDIT);
        }
        Query query;
        try {
            query = QueryParser.parse(packet, tcp ? QueryParser.MAX_TCP_MESSAGE : QueryParser.MAX_UDP_QUERY);
        } catch (MalformedQueryException e) {
            return malformed(packet, client, e);
        }
        return decide(query, policy, dns, client, tcp, now);
    }

    /**
     * Step 8: asks upstream and builds the reply. Blocks for at most twice {@code upstream_timeout}.
     *
     * @param forward what {@link #handle} returned
     * @return the reply
     */
    byte[] forward(Forward forward) {
        return forwarding.forward(forward);
    }

    /**
     * The reply when too many queries are waiting on upstreams: SERVFAIL, so the client retries.
     *
     * @param forward the query that could not be forwarded
     * @return the reply
     */
    byte[] busy(Forward forward) {
        stats.busy.increment();
        return Replies.refusal(forward.query(), new Refusal(Wire.SERVFAIL, forward.decision().reason(), null,
                Refusal.EDE_OTHER, "kap: too many queries in flight"));
    }

    /**
     * Entries in the cache.
     *
     * @return count
     */
    int cacheSize() {
        return cache.size();
    }

    private Outcome decide(Query query, Policy policy, DnsConfig dns, InetAddress client, boolean tcp, long now) {
        Optional<Refusal> refusal = NameGuard.checkType(query);
        if (refusal.isPresent()) {
            return refuse(query, query.name(), refusal.get(), client, Map.of());
        }
        if (query.ednsVersion() > 0) {
            return refuse(query, query.name(), new Refusal(Wire.BADVERS, Reasons.MALFORMED_QUERY, null,
                    Refusal.EDE_OTHER, "kap: only EDNS version 0"), client, Map.of("problem", "EDNS version "
                    + query.ednsVersion()));
        }
        String name;
        try {
            name = HostPort.normalizeName(query.name());
        } catch (IllegalArgumentException e) {
            return refuse(query, query.name(), new Refusal(Wire.REFUSED, Reasons.INVALID_HOST, null,
                    Refusal.EDE_BLOCKED, "kap: invalid name"), client, Map.of("problem", e.getMessage()));
        }
        int deniedRcode = dns.deniedAnswer() == DnsConfig.DeniedAnswer.NXDOMAIN ? Wire.NXDOMAIN : Wire.REFUSED;
        refusal = NameGuard.checkName(name, policy, deniedRcode);
        if (refusal.isPresent()) {
            return refuse(query, name, refusal.get(), client, Map.of());
        }
        Decision decision = policy.decideName(name);
        if (!decision.allowed()) {
            return denied(query, name, decision, deniedRcode, client);
        }
        Outcome cached = forwarding.fromCache(query, name, policy, decision, client, tcp, now);
        if (cached != null) {
            return cached;
        }
        String zone = decision.rule().orElse(name);
        ZoneBudget.Verdict verdict = budget.charge(zone, name, dns.zoneBudgetPerMinute(), now);
        if (verdict != ZoneBudget.Verdict.ADMIT) {
            if (verdict == ZoneBudget.Verdict.REFUSE_AND_ALERT) {
                audit.budgetAlert(zone, client, dns.zoneBudgetPerMinute());
            }
            return refuse(query, name, new Refusal(Wire.REFUSED, Reasons.ZONE_BUDGET_EXCEEDED, zone,
                    Refusal.EDE_PROHIBITED, "kap: too many new names under " + zone + " this minute"), client,
                    Map.of("zone", zone));
        }
        return new Forward(query, name, policy, decision, client, tcp);
    }

    private Outcome denied(Query query, String name, Decision decision, int deniedRcode, InetAddress client) {
        Optional<String> search = NameGuard.searchDomain(name, searchDomains);
        // a denied search-list expansion is always NXDOMAIN, so the stub resolver moves on to the next candidate
        int rcode = search.isPresent() ? Wire.NXDOMAIN : deniedRcode;
        Refusal refusal = new Refusal(rcode, decision.reason(), decision.rule().orElse(null), Refusal.EDE_BLOCKED,
                "kap: " + name + " is not allowed by policy (" + decision.reason() + ")");
        return refuse(query, name, refusal, client, search.<Map<String, Object>>map(d -> Map.of("search_domain", d))
                .orElse(Map.of()));
    }

    private Outcome refuse(Query query, String name, Refusal refusal, InetAddress client, Map<String, Object> detail) {
        stats.refused.increment();
        audit.refused(DnsAudit.subject(name, query.type()), client, refusal, detail);
        return new Reply(Replies.refusal(query, refusal));
    }

    private Outcome malformed(byte[] packet, InetAddress client, MalformedQueryException e) {
        stats.malformed.increment();
        int rcode = e.reply() == MalformedQueryException.Reply.NOTIMP ? Wire.NOTIMP : Wire.FORMERR;
        Refusal refusal = new Refusal(e.reply() == MalformedQueryException.Reply.DROP ? Wire.FORMERR : rcode,
                e.reason(), null, Refusal.EDE_OTHER, "");
        audit.refused(DnsAudit.UNREADABLE, client, refusal, Map.of("problem", e.getMessage(),
                "reply", e.reply().name().toLowerCase(java.util.Locale.ROOT)));
        return e.reply() == MalformedQueryException.Reply.DROP ? DROP : new Reply(Replies.minimal(packet, rcode));
    }

    private Outcome rateLimited(byte[] packet, InetAddress client, boolean auditIt) {
        stats.rateLimited.increment();
        if (auditIt) {
            audit.refused(DnsAudit.RATE_LIMITED, client, new Refusal(Wire.REFUSED, Reasons.CLIENT_RATE_EXCEEDED, null,
                    Refusal.EDE_PROHIBITED, ""), Map.of("note", "one event per client per second"));
        }
        if (packet.length < QueryParser.HEADER || (Wire.u16(packet, 2) & Wire.QR) != 0) {
            return DROP;
        }
        return new Reply(Replies.minimal(packet, Wire.REFUSED));
    }
}
