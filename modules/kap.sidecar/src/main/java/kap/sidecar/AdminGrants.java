package kap.sidecar;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.Grant;
import kap.policy.Grants;
import kap.policy.LivePolicy;
import kap.policy.Reasons;

/**
 * Approvals, for the host's remote daemon: {@code GET /grants}, {@code POST /grants} (a one-time or timed grant,
 * validated with the policy's matchers, written atomically to this sidecar's grants file and applied at once),
 * {@code DELETE /grants/<id>}, and {@code POST /approvals}, which records a decision that changes nothing here (a
 * line added to kap.toml, a dismissed request, an approved MCP tool change). Every change is an audit event with
 * source {@code approval}.
 */
final class AdminGrants {

    /** The longest a grant may last; longer means a line in kap.toml. */
    static final Duration MAX_TTL = Duration.ofDays(30);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> ACTIONS = Map.of("permanent", Reasons.APPROVED_PERMANENTLY,
            "dismiss", Reasons.REQUEST_DISMISSED, "pin", Reasons.TOOL_APPROVED);

    private final LivePolicy policy;
    private final AuditLog audit;
    private final AdminHttp http;

    AdminGrants(LivePolicy policy, AuditLog audit, AdminHttp http) {
        this.policy = policy;
        this.audit = audit;
        this.http = http;
    }

    void grants(HttpExchange exchange) throws IOException {
        if (!AdminHttp.method(exchange, "GET", "POST", "DELETE") || !http.authorized(exchange)) {
            return;
        }
        try {
            switch (exchange.getRequestMethod()) {
                case "GET" -> list(exchange);
                case "POST" -> create(exchange);
                default -> delete(exchange);
            }
        } catch (IllegalStateException e) {
            AdminHttp.send(exchange, 409, AdminHttp.error("this sidecar has no grants file (--grants)"));
        } catch (IllegalArgumentException e) {
            AdminHttp.send(exchange, 400, AdminHttp.error(e.getMessage()));
        }
    }

    void approvals(HttpExchange exchange) throws IOException {
        if (!AdminHttp.method(exchange, "POST") || !http.authorized(exchange)) {
            return;
        }
        Optional<JsonNode> body = read(exchange);
        if (body.isEmpty()) {
            return;
        }
        String action = text(body.get(), "action", 16).orElse("");
        if (!ACTIONS.containsKey(action)) {
            AdminHttp.send(exchange, 400, AdminHttp.error("action must be one of " + ACTIONS.keySet()));
            return;
        }
        String subject = text(body.get(), "subject", 512).orElse("");
        if (subject.isBlank()) {
            AdminHttp.send(exchange, 400, AdminHttp.error("subject is required"));
            return;
        }
        AuditEvent event = new AuditEvent(Instant.now(), "approval", subject, AuditEvent.Outcome.INFO,
                ACTIONS.get(action), text(body.get(), "rule", 512), text(body.get(), "by", 64), Map.of())
                .with("action", action).with("scope", text(body.get(), "scope", 16).orElse(null))
                .with("file", text(body.get(), "file", 1024).orElse(null));
        audit.record(event);
        AdminHttp.send(exchange, 201, event.toJson());
    }

    private void list(HttpExchange exchange) throws IOException {
        List<Grant> active = policy.current().activeGrants();
        AdminHttp.send(exchange, 200, AdminHttp.json(g -> {
            g.writeArrayFieldStart("grants");
            for (Grant grant : active) {
                write(g, grant);
            }
            g.writeEndArray();
        }));
    }

    private void create(HttpExchange exchange) throws IOException {
        Optional<JsonNode> body = read(exchange);
        if (body.isEmpty()) {
            return;
        }
        JsonNode n = body.get();
        Grant.Scope scope = scope(text(n, "scope", 16).orElse(""));
        String pattern = text(n, "pattern", 512).orElseThrow(() -> new IllegalArgumentException("pattern is required"));
        long ttl = n.path("ttl_seconds").asLong(0);
        if (ttl < 1 || ttl > MAX_TTL.toSeconds()) {
            throw new IllegalArgumentException("ttl_seconds must be between 1 and " + MAX_TTL.toSeconds());
        }
        boolean once = n.path("once").asBoolean(false);
        String by = text(n, "by", 64).orElse("remote");
        Instant now = Instant.now();
        Grant grant = Grants.validate(new Grant("g-" + HexFormat.of().formatHex(random(6)), scope, pattern,
                now.plusSeconds(ttl), once, now, by));
        policy.updateGrants(current -> {
            List<Grant> next = new ArrayList<>(current);
            next.add(grant);
            return next;
        });
        audit.record(new AuditEvent(now, "approval", text(n, "subject", 512).orElse(pattern), AuditEvent.Outcome.INFO,
                once ? Reasons.APPROVED_ONCE : Reasons.APPROVED_FOR_A_WHILE,
                Optional.of("grant " + grant.id() + ": " + pattern), Optional.of(by), Map.of())
                .with("scope", scope.name().toLowerCase(Locale.ROOT)).with("grant", grant.id())
                .with("expires_at", grant.expiresAt().toString()).with("once", once));
        AdminHttp.send(exchange, 201, AdminHttp.json(g -> {
            g.writeFieldName("grant");
            write(g, grant);
        }));
    }

    private void delete(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String id = path.startsWith("/grants/") ? path.substring("/grants/".length()) : "";
        if (id.isBlank()) {
            AdminHttp.send(exchange, 400, AdminHttp.error("DELETE /grants/<id>"));
            return;
        }
        List<Grant> removed = new ArrayList<>();
        policy.updateGrants(current -> {
            List<Grant> next = new ArrayList<>();
            for (Grant g : current) {
                (g.id().equals(id) ? removed : next).add(g);
            }
            return next;
        });
        if (removed.isEmpty()) {
            AdminHttp.send(exchange, 404, AdminHttp.error("no active grant " + id));
            return;
        }
        Grant gone = removed.getFirst();
        audit.record(new AuditEvent(Instant.now(), "approval", gone.pattern(), AuditEvent.Outcome.INFO,
                Reasons.GRANT_REVOKED, Optional.of("grant " + gone.id() + ": " + gone.pattern()), Optional.empty(),
                Map.of("grant", gone.id())));
        AdminHttp.send(exchange, 200, AdminHttp.json(g -> g.writeStringField("revoked", gone.id())));
    }

    private Optional<JsonNode> read(HttpExchange exchange) throws IOException {
        Optional<byte[]> bytes = AdminHttp.body(exchange);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(bytes.get());
            if (n == null || !n.isObject()) {
                throw new IOException("not an object");
            }
            return Optional.of(n);
        } catch (IOException e) {
            AdminHttp.send(exchange, 400, AdminHttp.error("the body must be a JSON object"));
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode n, String field, int max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().length() > max) {
            throw new IllegalArgumentException(field + " must be a string of at most " + max + " characters");
        }
        return Optional.of(v.asText());
    }

    private static Grant.Scope scope(String text) {
        try {
            return Grant.Scope.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scope must be network, mcp or cli");
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void write(JsonGenerator g, Grant grant) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", grant.id());
        g.writeStringField("scope", grant.scope().name().toLowerCase(Locale.ROOT));
        g.writeStringField("pattern", grant.pattern());
        g.writeStringField("expires_at", grant.expiresAt().toString());
        g.writeBooleanField("once", grant.once());
        g.writeStringField("by", grant.by());
        g.writeEndObject();
    }

    /** Databind loads on the first request that needs it, not at sidecar start. */
    private static final class Json {
        private static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
