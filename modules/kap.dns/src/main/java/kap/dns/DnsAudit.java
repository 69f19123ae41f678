package kap.dns;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.Decision;
import kap.policy.Reasons;

/**
 * Writes kap.dns's audit events: source {@code dns}, subject {@code <name> <TYPE>} (for example
 * {@code example.com A}), the client's address, the reason and the rule, and the reply code in {@code detail.rcode}.
 */
final class DnsAudit {

    /** Source field of every event. */
    static final String SOURCE = "dns";
    /** Subject of a message that had no readable question. */
    static final String UNREADABLE = "(unreadable)";
    /** Subject of a rate-limited message: it is refused before it is read. */
    static final String RATE_LIMITED = "(rate limited)";

    private static final System.Logger LOG = System.getLogger("kap.dns");

    private final AuditLog log;

    DnsAudit(AuditLog log) {
        this.log = log;
    }

    static String subject(String name, int type) {
        return name + " " + Type.string(type);
    }

    /**
     * A refused query.
     *
     * @param subject what was asked
     * @param client client address
     * @param refusal the refusal
     * @param detail extra fields
     */
    void refused(String subject, InetAddress client, Refusal refusal, Map<String, Object> detail) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("rcode", Rcode.string(refusal.rcode()));
        all.putAll(detail);
        record(new AuditEvent(Instant.now(), SOURCE, subject, AuditEvent.Outcome.DENY, refusal.reason(),
                Optional.ofNullable(refusal.rule()), Optional.of(client.getHostAddress()), all));
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "[dns] denied " + subject + ": " + refusal.reason());
        }
    }

    /**
     * An allowed query (only with {@code log_allowed}).
     *
     * @param subject what was asked
     * @param client client address
     * @param decision the policy decision
     * @param rcode reply code sent
     * @param detail extra fields
     */
    void allowed(String subject, InetAddress client, Decision decision, int rcode, Map<String, Object> detail) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("rcode", Rcode.string(rcode));
        all.putAll(detail);
        record(new AuditEvent(Instant.now(), SOURCE, subject, AuditEvent.Outcome.ALLOW, decision.reason(),
                decision.rule(), Optional.of(client.getHostAddress()), all));
    }

    /**
     * The alert for the phone when a zone's budget runs out; once per zone per minute.
     *
     * @param zone the zone (allow rule)
     * @param client the client that hit the limit
     * @param budget unique names per minute
     */
    void budgetAlert(String zone, InetAddress client, int budget) {
        record(new AuditEvent(Instant.now(), SOURCE, zone, AuditEvent.Outcome.ALERT, Reasons.ZONE_BUDGET_EXCEEDED,
                Optional.of(zone), Optional.of(client.getHostAddress()), Map.of("budget_per_minute", budget)));
        LOG.log(System.Logger.Level.WARNING, "[dns] zone budget exceeded for " + zone + " (" + budget
                + " unique names per minute); further new names are refused; possible exfiltration by "
                + client.getHostAddress());
    }

    private void record(AuditEvent event) {
        log.record(event);
    }
}
