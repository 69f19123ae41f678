package kap.mcp.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import kap.mcp.PinEvent;
import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.Reasons;

/**
 * The MCP proxy's audit lines, all with source {@code mcp} (approvals: {@code approval}) and subject
 * {@code <server>/<tool>} or {@code <server>/<method> <name>}, plus one canonical log line per denial. Bound to one
 * client address; {@link #forClient} makes one per request.
 */
final class McpAudit {

    private static final System.Logger LOG = System.getLogger("kap.mcp");

    private final AuditLog log;
    private final String client;

    McpAudit(AuditLog log, String client) {
        this.log = log;
        this.client = client;
    }

    McpAudit forClient(String address) {
        return new McpAudit(log, address);
    }

    void ruling(String server, Ruling r, String transport) {
        if (r.allowed() && !r.audited()) {
            return;
        }
        record(AuditEvent.of("mcp", server + "/" + r.subject(), r.decision(), client).with("method", r.method())
                .with("transport", transport));
        if (!r.allowed()) {
            LOG.log(System.Logger.Level.WARNING, "[mcp] DENIED " + r.method() + " " + server + "/" + r.subject()
                    + " reason=\"" + r.decision().reason() + "\" rule=" + r.decision().ruleOrDash() + " client="
                    + client);
        }
    }

    void malformed(String server, String why, String transport) {
        record(new AuditEvent(Instant.now(), "mcp", server + "/(malformed)", AuditEvent.Outcome.DENY,
                Reasons.MALFORMED_MESSAGE + ": " + why, Optional.empty(), Optional.ofNullable(client),
                Map.of("method", "(invalid)", "transport", transport)));
        LOG.log(System.Logger.Level.WARNING, "[mcp] DENIED malformed message to " + server + " (" + transport + "): "
                + why + " client=" + client);
    }

    void refused(String server, String subject, String reason, String method) {
        record(new AuditEvent(Instant.now(), "mcp", server + "/" + subject, AuditEvent.Outcome.DENY, reason,
                Optional.empty(), Optional.ofNullable(client), Map.of("method", method)));
    }

    void listed(String server, String method, int shown, int hidden) {
        record(new AuditEvent(Instant.now(), "mcp", server + "/" + method, AuditEvent.Outcome.ALLOW, "listed",
                Optional.empty(), Optional.ofNullable(client), Map.of("method", method, "shown", shown,
                "hidden", hidden)));
    }

    void pin(PinEvent e) {
        String subject = e.server() + "/" + e.tool();
        AuditEvent event = switch (e.kind()) {
            case PINNED -> new AuditEvent(Instant.now(), "mcp", subject, AuditEvent.Outcome.INFO, Reasons.TOOL_PINNED,
                    Optional.of("pin"), Optional.empty(), Map.of("method", "tools/list", "sha256", e.sha256()));
            case CHANGED -> new AuditEvent(Instant.now(), "mcp", subject, AuditEvent.Outcome.ALERT,
                    Reasons.TOOL_CHANGED, Optional.of("pin"), Optional.empty(), Map.of("method", "tools/list",
                    "sha256", e.sha256(), "new_sha256", e.newSha256().orElse("")));
            case APPROVED -> new AuditEvent(Instant.now(), "approval", subject, AuditEvent.Outcome.INFO,
                    Reasons.TOOL_APPROVED, Optional.of("pin"), Optional.empty(), Map.of("method", "approve",
                    "sha256", e.sha256()));
        };
        record(event);
        if (e.kind() == PinEvent.Kind.CHANGED) {
            LOG.log(System.Logger.Level.WARNING, "[mcp] tool " + subject + " changed since approval; hidden until"
                    + " `kap mcp approve " + e.server() + " " + e.tool() + "`");
        }
    }

    private void record(AuditEvent event) {
        log.record(event);
    }
}
