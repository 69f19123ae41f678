package kap.remote;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.Reasons;

/**
 * Approval requests: each denial a human could act on becomes one request per capsule and pattern (a DNS denial and
 * the egress denial that follows it are one request), counted as it repeats. A human decides it once: once, for some
 * minutes, permanently (a kap.toml line), re-approve a changed MCP tool, or dismiss. Every decision is an audit event
 * in the capsule's log (through its sidecar) and in the daemon's own log.
 *
 * <p>Thread-safe.
 */
final class Approvals {

    /** Requests kept; the oldest decided, then the oldest pending, go first. */
    static final int MAX_REQUESTS = 500;
    /** The longest timed grant from the phone, in minutes. */
    static final int MAX_MINUTES = 24 * 60;
    /** How long a one-time grant waits for its request. */
    static final long ONCE_TTL_SECONDS = 3600;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventHub hub;
    private final AuditLog audit;
    private final PinApprover pins;
    private final Map<String, Request> byKey = new LinkedHashMap<>();
    private final Map<String, Request> byId = new LinkedHashMap<>();

    Approvals(EventHub hub, AuditLog audit, PinApprover pins) {
        this.hub = hub;
        this.audit = audit;
        this.pins = pins;
    }

    /** Turns a denial into a request, or counts it on the one already open. */
    void observe(CapsuleRef capsule, AuditEvent e) {
        Optional<Approvable> a = Approvable.of(e);
        if (a.isEmpty()) {
            return;
        }
        String key = capsule.id() + "\u0000" + a.get().kind() + "\u0000" + a.get().grantPattern();
        ObjectNode json;
        synchronized (this) {
            Request r;
            Request open = byKey.get(key);
            if (open != null && (open.state.equals("pending") || open.state.equals("deciding"))) {
                open.count++;
                open.last = e.time();
                open.subject = e.subject();
                r = open;
            } else {
                r = new Request("r-" + HexFormat.of().formatHex(random()), capsule, a.get(), e);
                byKey.put(key, r);
                byId.put(r.id, r);
                evict();
            }
            json = r.toJson();
        }
        hub.publish("request", json);
    }

    synchronized List<ObjectNode> list() {
        List<ObjectNode> result = new ArrayList<>();
        byId.values().forEach(r -> result.add(r.toJson()));
        return result;
    }

    /**
     * Carries out a human's decision.
     *
     * @param id request id
     * @param action {@code once}, {@code minutes}, {@code permanent}, {@code pin} or {@code dismiss}
     * @param minutes for {@code minutes}, how long
     * @param capsule the request's capsule as it is now
     * @param by the device's name
     * @return the request after the decision
     */
    ObjectNode decide(String id, String action, int minutes, CapsuleRef capsule, String by) {
        Request r = claim(id);
        String outcome;
        try {
            outcome = carryOut(r, action, minutes, capsule, by);
        } catch (RuntimeException e) {
            synchronized (this) {
                r.state = "pending";
            }
            throw e;
        }
        ObjectNode json;
        synchronized (this) {
            r.state = action.equals("dismiss") ? "dismissed" : "approved";
            r.outcome = outcome;
            r.decidedBy = by;
            json = r.toJson();
        }
        hub.publish("request", json);
        return json;
    }

    private String carryOut(Request r, String action, int minutes, CapsuleRef capsule, String by) {
        Approvable a = r.approvable;
        if (a.blocked().isPresent() && !action.equals("dismiss")) {
            throw new ApiException(409, "cannot be approved here: " + a.blocked().get());
        }
        SidecarClient sidecar = new SidecarClient(capsule);
        String outcome;
        switch (action) {
            case "once" -> outcome = grant(r, sidecar, ONCE_TTL_SECONDS, true, by, "approved once");
            case "minutes" -> {
                if (minutes < 1 || minutes > MAX_MINUTES) {
                    throw ApiException.badRequest("minutes must be between 1 and " + MAX_MINUTES);
                }
                outcome = grant(r, sidecar, minutes * 60L, false, by, "approved for " + minutes + " min");
            }
            case "permanent" -> outcome = permanent(r, capsule, sidecar, by);
            case "pin" -> outcome = pin(r, sidecar, by);
            case "dismiss" -> {
                record(sidecar, r, "dismiss", by, Optional.empty());
                outcome = "dismissed";
            }
            default -> throw ApiException.badRequest("action must be once, minutes, permanent, pin or dismiss");
        }
        return outcome;
    }

    private String grant(Request r, SidecarClient sidecar, long ttl, boolean once, String by, String outcome) {
        if (r.approvable.kind().equals("pin")) {
            throw ApiException.badRequest("a changed MCP tool is re-approved with action pin");
        }
        var grant = sidecar.grant(r.approvable.scope(), r.approvable.grantPattern(), ttl, once, by, r.subject);
        daemonAudit(r, once ? Reasons.APPROVED_ONCE : Reasons.APPROVED_FOR_A_WHILE, by,
                Optional.of("grant " + grant.path("id").asText() + ": " + r.approvable.grantPattern()));
        return outcome;
    }

    private String permanent(Request r, CapsuleRef capsule, SidecarClient sidecar, String by) {
        if (r.approvable.kind().equals("pin")) {
            throw ApiException.badRequest("a changed MCP tool is re-approved with action pin");
        }
        var file = capsule.config().orElseThrow(() -> new ApiException(409, "the kap.toml of capsule "
                + capsule.id() + " is not known on this host"));
        try {
            boolean changed = PermanentApproval.apply(file, r.approvable);
            record(sidecar, r, "permanent", by, Optional.of(file.toString()));
            return changed ? "added to " + file : "already in " + file;
        } catch (IllegalArgumentException e) {
            throw new ApiException(409, e.getMessage());
        } catch (IOException e) {
            throw new ApiException(500, "cannot update " + file + ": " + e.getMessage());
        }
    }

    private String pin(Request r, SidecarClient sidecar, String by) {
        if (!r.approvable.kind().equals("pin")) {
            throw ApiException.badRequest("only a changed MCP tool is re-approved with action pin");
        }
        try {
            pins.approve(r.approvable.owner().orElseThrow(), r.approvable.pattern());
        } catch (IllegalArgumentException e) {
            throw new ApiException(409, e.getMessage());
        } catch (IOException e) {
            throw new ApiException(500, "cannot update the pin store: " + e.getMessage());
        }
        record(sidecar, r, "pin", by, Optional.empty());
        return "new definition approved";
    }

    /** The decision in the capsule's log (through its sidecar, best effort) and in the daemon's. */
    private void record(SidecarClient sidecar, Request r, String action, String by, Optional<String> file) {
        ObjectNode body = Api.object().put("action", action).put("subject", r.subject)
                .put("scope", r.approvable.kind()).put("by", by).put("rule", r.approvable.grantPattern());
        file.ifPresent(f -> body.put("file", f));
        try {
            sidecar.approval(body);
        } catch (ApiException e) {
            // the daemon's own log still has it; the change itself (kap.toml, pin) is done
        }
        String reason = switch (action) {
            case "permanent" -> Reasons.APPROVED_PERMANENTLY;
            case "dismiss" -> Reasons.REQUEST_DISMISSED;
            default -> Reasons.TOOL_APPROVED;
        };
        daemonAudit(r, reason, by, Optional.of(r.approvable.grantPattern()));
    }

    private void daemonAudit(Request r, String reason, String by, Optional<String> rule) {
        audit.record(new AuditEvent(Instant.now(), "approval", r.subject, AuditEvent.Outcome.INFO, reason, rule,
                Optional.of(by), Map.of("capsule", r.capsule, "request", r.id, "kind", r.approvable.kind())));
    }

    /** Takes a pending request for one decision; a second decision at the same time is refused. */
    private synchronized Request claim(String id) {
        Request r = byId.get(id);
        if (r == null) {
            throw ApiException.notFound("no such request");
        }
        if (!r.state.equals("pending")) {
            throw new ApiException(409, "already " + r.state);
        }
        r.state = "deciding";
        return r;
    }

    synchronized Optional<String> capsuleOf(String id) {
        return Optional.ofNullable(byId.get(id)).map(r -> r.capsule);
    }

    private void evict() {
        while (byId.size() > MAX_REQUESTS) {
            Request victim = byId.values().stream().filter(r -> !r.state.equals("pending")).findFirst()
                    .orElse(byId.values().iterator().next());
            byId.remove(victim.id);
            byKey.values().remove(victim);
        }
    }

    private static byte[] random() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    /** One request; mutable state is guarded by the enclosing {@link Approvals}. */
    private static final class Request {
        final String id;
        final String capsule;
        final String project;
        final Approvable approvable;
        final String source;
        final String reason;
        final Instant first;
        Instant last;
        String subject;
        int count = 1;
        String state = "pending";
        String outcome;
        String decidedBy;

        Request(String id, CapsuleRef capsule, Approvable approvable, AuditEvent e) {
            this.id = id;
            this.capsule = capsule.id();
            this.project = capsule.project();
            this.approvable = approvable;
            this.source = e.source();
            this.reason = e.reason();
            this.first = e.time();
            this.last = e.time();
            this.subject = e.subject();
        }

        ObjectNode toJson() {
            ObjectNode n = Api.object().put("id", id).put("capsule", capsule).put("project", project)
                    .put("kind", approvable.kind()).put("pattern", approvable.pattern())
                    .put("grant_pattern", approvable.grantPattern()).put("subject", subject).put("source", source)
                    .put("reason", reason).put("first", first.toString()).put("last", last.toString())
                    .put("count", count).put("state", state);
            approvable.owner().ifPresent(o -> n.put("owner", o));
            approvable.blocked().ifPresent(b -> n.put("blocked", b));
            if (outcome != null) {
                n.put("outcome", outcome).put("decided_by", decidedBy);
            }
            return n;
        }
    }
}
