package kap.egress.internal;

import java.util.Map;
import java.util.Objects;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.Decision;

/**
 * The one place egress decisions are recorded: one audit event per decision (schema from kap.policy, source
 * {@code egress}) and one log line, INFO for an allow and WARNING for a deny. Callers record each decision exactly
 * once: a tunnel when it closes (so the event carries its byte counts), a denial when it is answered.
 */
final class EgressAudit {

    /** Audit source. */
    static final String SOURCE = "egress";
    /** Detail keys. */
    static final String METHOD = "method";
    static final String BYTES_UP = "bytes_up";
    static final String BYTES_DOWN = "bytes_down";
    static final String DURATION_MS = "duration_ms";
    static final String STATUS = "status";
    static final String ERROR = "error";
    static final String ADDRESS = "address";
    static final String ADDRESS_CLASS = "address_class";
    static final String SNI = "sni";
    static final String UNSAFE_CIDR = "unsafe_cidr";

    private static final System.Logger LOG = System.getLogger("kap.egress");

    private final AuditLog log;

    EgressAudit(AuditLog log) {
        this.log = Objects.requireNonNull(log);
    }

    /**
     * Records one decision.
     *
     * @param subject {@code host:port}, or {@code -} when the request named no parsable target
     * @param decision the decision
     * @param client client IP
     * @param detail extra fields; {@code null} values are skipped
     */
    void record(String subject, Decision decision, String client, Map<String, Object> detail) {
        AuditEvent event = AuditEvent.of(SOURCE, subject, decision, client);
        StringBuilder line = new StringBuilder(160).append("[egress] ").append(decision.allowed() ? "ALLOW " : "DENY ")
                .append(subject).append(" reason=\"").append(decision.reason()).append("\" rule=")
                .append(decision.ruleOrDash()).append(" client=").append(client);
        for (var e : detail.entrySet()) {
            if (e.getValue() != null) {
                event = event.with(e.getKey(), e.getValue());
                line.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        log.record(event);
        LOG.log(decision.allowed() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, line.toString());
    }
}
