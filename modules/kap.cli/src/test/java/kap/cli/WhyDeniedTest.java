package kap.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code kap why-denied} on a real audit log file: denials only, each with the kap.toml line that would allow it.
 */
class WhyDeniedTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
    }

    private static AuditEvent event(String source, String subject, AuditEvent.Outcome verdict, String reason,
                                    String rule, Instant at) {
        return new AuditEvent(at, source, subject, verdict, reason, Optional.ofNullable(rule), Optional.empty(),
                Map.of());
    }

    record Case(String name, AuditEvent event, String suggestion) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> suggestions() {
        Instant t = Instant.parse("2026-12-04T10:00:00Z");
        AuditEvent.Outcome deny = AuditEvent.Outcome.DENY;
        return Stream.of(
                new Case("an unlisted HTTPS host", event("egress", "api.example.com:443", deny, Reasons.NO_RULE_MATCHED,
                        null, t), "[proxy.network] allow = [\"api.example.com\"]"),
                new Case("another port", event("egress", "git.example.com:22", deny, Reasons.NO_RULE_MATCHED, null, t),
                        "[proxy.network] allow = [\"git.example.com:22\"]"),
                new Case("an allowed host on another port", event("egress", "github.com:8443", deny,
                        Reasons.PORT_NOT_ALLOWED, null, t), "[proxy.network] allow = [\"github.com:8443\"]"),
                new Case("a deny rule", event("egress", "gist.github.com:443", deny, Reasons.DENIED_BY_RULE,
                        "gist.github.com", t), "remove \"gist.github.com\" from [proxy.network] deny"),
                new Case("an IP literal", event("egress", "192.0.2.7:443", deny, Reasons.IP_LITERAL_NEEDS_IP_RULE, null,
                        t), "[proxy.network] allow = [\"192.0.2.7\"]"),
                new Case("a DNS name", event("dns", "pypi.example A", deny, Reasons.NO_RULE_MATCHED, null, t),
                        "[proxy.network] allow = [\"pypi.example\"]"),
                new Case("an MCP tool", event("mcp", "github/delete_repo", deny, Reasons.NO_RULE_MATCHED, null, t),
                        "[[mcp.servers]] name = \"github\": allow = [\"delete_repo\"]"));
    }

    @ParameterizedTest
    @MethodSource("suggestions")
    void suggestsTheLineThatWouldAllowIt(Case c) {
        assertThat(Suggestions.forDenial(c.event()).orElseThrow(), equalTo(c.suggestion()));
    }

    @Test
    void guardsThatNoRuleOpensGetNoSuggestion() {
        AuditEvent e = event("dns", "x.example A", AuditEvent.Outcome.DENY, Reasons.ZONE_BUDGET_EXCEEDED, null,
                Instant.now());
        assertThat(Suggestions.forDenial(e).isPresent(), is(false));
    }

    @Test
    void showsOnlyDenialsSinceTheGivenTimeAndNotTheStatusProbes() throws Exception {
        Instant old = Instant.now().minusSeconds(3600);
        Instant recent = Instant.now().minusSeconds(60);
        Path log = dir.resolve("proxy.jsonl");
        Files.writeString(log, String.join("\n",
                event("egress", "old.example:443", AuditEvent.Outcome.DENY, Reasons.NO_RULE_MATCHED, null, old).toJson(),
                event("egress", "ok.example:443", AuditEvent.Outcome.ALLOW, Reasons.ALLOWED_BY_RULE, "ok.example",
                        recent).toJson(),
                "not json at all",
                event("dns", "kap-probe.invalid A", AuditEvent.Outcome.DENY, Reasons.SPECIAL_USE_NAME, null, recent)
                        .toJson(),
                event("egress", "new.example:443", AuditEvent.Outcome.DENY, Reasons.NO_RULE_MATCHED, null, recent)
                        .toJson()) + "\n");
        assertThat(Main.run("why-denied", "--log", log.toString(), "--since", "10m"), is(0));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text, containsString("new.example:443  DENIED (no rule matched)"));
        assertThat(text, containsString("to allow: [proxy.network] allow = [\"new.example\"]"));
        assertThat(text, not(containsString("old.example")));
        assertThat(text, not(containsString("ok.example")));
        assertThat(text, not(containsString("kap-probe.invalid")));
    }

    @Test
    void jsonKeepsTheEventAndAddsTheSuggestion() throws Exception {
        Path log = dir.resolve("proxy.jsonl");
        Files.writeString(log, event("egress", "a.example:443", AuditEvent.Outcome.DENY, Reasons.NO_RULE_MATCHED, null,
                Instant.now()).toJson() + "\n");
        assertThat(Main.run("why-denied", "--log", log.toString(), "--json"), is(0));
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(node.path("subject").asText(), equalTo("a.example:443"));
        assertThat(node.path("suggestion").asText(), equalTo("[proxy.network] allow = [\"a.example\"]"));
    }

    @Test
    void aBadSinceIsAClearError() {
        assertThat(Main.run("why-denied", "--log", dir.resolve("x").toString(), "--since", "yesterday"), is(1));
    }

    @Test
    void sinceReadsDurationsAndInstants() {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        assertThat(WhyDeniedCommand.parseSince("10m", now), equalTo(Instant.parse("2026-12-04T11:50:00Z")));
        assertThat(WhyDeniedCommand.parseSince("1h30m", now), equalTo(Instant.parse("2026-12-04T10:30:00Z")));
        assertThat(WhyDeniedCommand.parseSince("2026-12-01T00:00:00Z", now),
                equalTo(Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void noColorTurnsColoursOff() {
        assertThat(Style.of(Map.of(), true).ok("x"), equalTo("\u001b[32mx\u001b[0m"));
        assertThat(Style.of(Map.of("NO_COLOR", "1"), true).ok("x"), equalTo("x"));
        assertThat(Style.of(Map.of(), false).ok("x"), equalTo("x"));
    }
}
