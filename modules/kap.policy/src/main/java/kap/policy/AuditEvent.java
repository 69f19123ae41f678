package kap.policy;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of the audit log, the same schema for every component (see {@code docs/AUDIT.md}).
 *
 * @param time when it happened (UTC)
 * @param source {@code egress}, {@code dns}, {@code mcp}, {@code clix}, {@code approval}, {@code policy} or
 *         {@code sidecar}
 * @param subject what was asked, such as {@code github.com:443}, {@code example.com A}, {@code github/create_issue}
 * @param verdict the outcome
 * @param reason why; for decisions one of the {@link Reasons} strings
 * @param rule the rule that decided, if any
 * @param client the client's address, if known
 * @param detail extra fields (strings, numbers, booleans), such as {@code method} or {@code bytes_up}
 */
public record AuditEvent(Instant time, String source, String subject, Outcome verdict, String reason,
                         Optional<String> rule, Optional<String> client, Map<String, Object> detail) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Validates and copies.
     */
    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(client, "client");
        detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    /**
     * An event for a decision.
     *
     * @param source component
     * @param subject what was asked
     * @param decision the decision
     * @param client client address, or {@code null}
     * @return event
     */
    public static AuditEvent of(String source, String subject, Decision decision, String client) {
        return new AuditEvent(Instant.now(), source, subject, decision.allowed() ? Outcome.ALLOW : Outcome.DENY,
                decision.reason(), decision.rule(), Optional.ofNullable(client), Map.of());
    }

    /**
     * A copy with one more detail field.
     *
     * @param key field name, snake_case
     * @param value a string, number or boolean; {@code null} is skipped
     * @return new event
     */
    public AuditEvent with(String key, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, Object> more = new LinkedHashMap<>(detail);
        more.put(key, value);
        return new AuditEvent(time, source, subject, verdict, reason, rule, client, more);
    }

    /**
     * The JSON line, without the newline.
     *
     * @return JSON text
     */
    public String toJson() {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeStringField("source", source);
            g.writeStringField("subject", subject);
            g.writeStringField("verdict", verdict.wire());
            g.writeStringField("reason", reason);
            g.writeStringField("rule", rule.orElse(null));
            g.writeStringField("client", client.orElse(null));
            if (!detail.isEmpty()) {
                g.writeObjectFieldStart("detail");
                for (var e : detail.entrySet()) {
                    switch (e.getValue()) {
                        case Integer i -> g.writeNumberField(e.getKey(), i);
                        case Long l -> g.writeNumberField(e.getKey(), l);
                        case Double d -> g.writeNumberField(e.getKey(), d);
                        case Boolean b -> g.writeBooleanField(e.getKey(), b);
                        default -> g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Parses one line of the log. Lines that are not events of this schema give empty; readers count and skip them.
     *
     * @param line a JSON line
     * @return the event, or empty
     */
    public static Optional<AuditEvent> parse(String line) {
        try {
            JsonNode n = Reader.MAPPER.readTree(line);
            if (n == null || !n.isObject() || !n.path("time").isTextual() || !n.path("source").isTextual()
                    || !n.path("subject").isTextual() || !n.path("verdict").isTextual() || !n.path("reason").isTextual()) {
                return Optional.empty();
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            n.path("detail").properties().forEach(e -> detail.put(e.getKey(), e.getValue().isNumber()
                    ? e.getValue().numberValue() : e.getValue().isBoolean() ? e.getValue().booleanValue()
                    : e.getValue().asText()));
            return Optional.of(new AuditEvent(Instant.parse(n.get("time").asText()), n.get("source").asText(),
                    n.get("subject").asText(), Outcome.fromWire(n.get("verdict").asText()), n.get("reason").asText(),
                    text(n.get("rule")), text(n.get("client")), detail));
        } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    /** Only readers need databind; writers never touch it, so the sidecar does not load it at start. */
    private static final class Reader {
        private static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** What happened. */
    public enum Outcome {
        /** A request was allowed. */
        ALLOW,
        /** A request was denied. */
        DENY,
        /** Something a human should see now, such as an exhausted DNS budget; shown on the phone. */
        ALERT,
        /** A state change, such as a reload or a grant expiring. */
        INFO;

        /**
         * The lower-case form written in the log.
         *
         * @return wire form
         */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Outcome fromWire(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }
}
