package kap.dns;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.xbill.DNS.Name;

import kap.policy.Decision;
import kap.policy.DnsConfig;
import kap.policy.Endpoint;
import kap.policy.Policy;
import kap.policy.Reasons;

/**
 * The allowed half of the pipeline: the cache, the upstream exchange and the rebinding guard.
 */
final class Forwarding {

    private static final System.Logger LOG = System.getLogger("kap.dns");
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final DnsAudit audit;
    private final AnswerCache cache;
    private final Upstreams upstreams;
    private final List<Endpoint> hostUpstreams;
    private final DnsStats stats;
    private volatile long lastFailureLog = System.nanoTime() - LOG_INTERVAL_NANOS;

    Forwarding(DnsAudit audit, AnswerCache cache, Upstreams upstreams, List<Endpoint> hostUpstreams, DnsStats stats) {
        this.audit = audit;
        this.cache = cache;
        this.upstreams = upstreams;
        this.hostUpstreams = List.copyOf(hostUpstreams);
        this.stats = stats;
    }

    /**
     * A reply from the cache, if a fresh answer is there and every address in it that an unsafe CIDR let through is
     * still let through by the policy in force.
     *
     * @return the reply, or {@code null} on a miss
     */
    QueryHandler.Outcome fromCache(Query query, String name, Policy policy, Decision decision, InetAddress client,
                                   boolean tcp, long now) {
        AnswerCache.Key key = new AnswerCache.Key(name, query.type());
        CachedAnswer hit = cache.get(key, now);
        if (hit == null) {
            return null;
        }
        for (InetAddress opened : hit.opened()) {
            if (!policy.vet(policy.classify(opened)).allowed()) {
                cache.remove(key);
                return null;
            }
        }
        stats.cacheHits.increment();
        if (policy.config().proxy().dns().logAllowed()) {
            audit.allowed(DnsAudit.subject(name, query.type()), client, decision, hit.rcode(), Map.of("cached", true));
        }
        return new QueryHandler.Reply(Replies.answer(hit, query, now, tcp));
    }

    /**
     * Asks upstream, guards the answer, caches it, and builds the reply.
     *
     * @param f the query to forward
     * @return the reply
     */
    byte[] forward(QueryHandler.Forward f) {
        stats.forwarded.increment();
        DnsConfig dns = f.policy().config().proxy().dns();
        List<Endpoint> configured = f.policy().config().proxy().dnsUpstreams();
        String subject = DnsAudit.subject(f.name(), f.query().type());
        Upstreams.Answer answer;
        try {
            answer = upstreams.ask(f.name(), f.query().type(), configured.isEmpty() ? hostUpstreams : configured,
                    dns.upstreamTimeout());
        } catch (UpstreamException e) {
            return upstreamFailed(f, dns, subject, e);
        }
        RebindingGuard.Result guarded = RebindingGuard.filter(answer.message(), f.policy());
        if (!guarded.dropped().isEmpty()) {
            stats.rebindingDropped.increment();
            Refusal refusal = new Refusal(guarded.answerEmptied() ? Wire.SERVFAIL : Wire.NOERROR,
                    Reasons.NON_PUBLIC_ADDRESS, null, Refusal.EDE_BLOCKED,
                    "kap: the answer pointed into a non-public address range");
            audit.refused(subject, f.client(), refusal, Map.of("address", guarded.dropped().stream()
                    .map(InetAddress::getHostAddress).collect(Collectors.joining(",")), "upstream",
                    answer.upstream().toString()));
            if (guarded.answerEmptied()) {
                return Replies.refusal(f.query(), refusal);
            }
        }
        long now = System.nanoTime();
        CachedAnswer built = CachedAnswer.from(guarded.message(), Name.fromConstantString(f.name() + "."),
                f.query().type(), guarded.opened(), now);
        if (guarded.dropped().isEmpty()) {
            // a partly filtered answer is not cached, so every query for it is audited
            cache.put(new AnswerCache.Key(f.name(), f.query().type()), built, dns.cacheEntries());
        }
        if (dns.logAllowed()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("cached", false);
            detail.put("upstream", answer.upstream().toString());
            detail.put("tcp", answer.tcp());
            audit.allowed(subject, f.client(), f.decision(), built.rcode(), detail);
        }
        return Replies.answer(built, f.query(), now, f.tcp());
    }

    private byte[] upstreamFailed(QueryHandler.Forward f, DnsConfig dns, String subject, UpstreamException e) {
        stats.upstreamFailures.increment();
        long now = System.nanoTime();
        if (now - lastFailureLog >= LOG_INTERVAL_NANOS) {
            lastFailureLog = now;
            LOG.log(System.Logger.Level.WARNING, "[dns] no upstream answered " + subject + ": " + e.getMessage()
                    + " (logged at most every 10 s)");
        }
        if (dns.logAllowed()) {
            audit.allowed(subject, f.client(), f.decision(), Wire.SERVFAIL, Map.of("upstream_error", e.getMessage()));
        }
        return Replies.refusal(f.query(), new Refusal(Wire.SERVFAIL, f.decision().reason(), null,
                Refusal.EDE_NO_REACHABLE_AUTHORITY, "kap: no upstream answered in time"));
    }
}
