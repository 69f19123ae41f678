package kap.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The audit log: one schema, rotation by size, and a reader that follows the file across rotation.
 */
class AuditLogTest {

    @TempDir
    Path dir;

    private static AuditEvent event(int i) {
        return AuditEvent.of("egress", "host" + i + ".example:443",
                Decision.deny(Reasons.DENIED_BY_RULE, "host" + i + ".example"), "172.28.0.2").with("method", "CONNECT");
    }

    @Test
    void writesOneJsonObjectPerLineWithTheDocumentedFields() throws Exception {
        Path file = dir.resolve("log/proxy.jsonl");
        try (AuditLog log = AuditLog.open(file, 1 << 20, 3)) {
            log.record(event(1).with("bytes_up", 10L).with("sni_checked", true));
            log.record(AuditEvent.of("dns", "example.org A", Decision.denyByDefault(Reasons.NO_RULE_MATCHED), null));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.size(), is(2));
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("source").asText(), is("egress"));
        assertThat(first.get("subject").asText(), is("host1.example:443"));
        assertThat(first.get("verdict").asText(), is("deny"));
        assertThat(first.get("reason").asText(), is("denied by rule"));
        assertThat(first.get("rule").asText(), is("host1.example"));
        assertThat(first.get("client").asText(), is("172.28.0.2"));
        assertThat(first.get("detail").get("method").asText(), is("CONNECT"));
        assertThat(first.get("detail").get("bytes_up").isNumber(), is(true));
        assertThat(first.get("detail").get("sni_checked").isBoolean(), is(true));
        assertThat(Instant.parse(first.get("time").asText()).isBefore(Instant.now().plusSeconds(1)), is(true));
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.get("rule").isNull(), is(true));
        assertThat(second.get("client").isNull(), is(true));
        assertThat(second.has("detail"), is(false));
    }

    @Test
    void parsesItsOwnLinesBackAndSkipsGarbage() {
        AuditEvent e = event(7).with("bytes_down", 42L);
        AuditEvent back = AuditEvent.parse(e.toJson()).orElseThrow();
        assertThat(back.subject(), is(e.subject()));
        assertThat(back.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(back.rule(), is(Optional.of("host7.example")));
        assertThat(((Number) back.detail().get("bytes_down")).longValue(), is(42L));
        assertThat(AuditEvent.parse("not json"), is(Optional.empty()));
        assertThat(AuditEvent.parse("{\"time\":\"x\"}"), is(Optional.empty()));
        assertThat(AuditEvent.parse("[1,2]"), is(Optional.empty()));
        assertThat(AuditEvent.parse("{\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"a\",\"subject\":\"b\","
                + "\"verdict\":\"maybe\",\"reason\":\"c\"}"), is(Optional.empty()));
    }

    @Test
    void escapesWhatAnAgentControls() {
        AuditEvent e = AuditEvent.of("egress", "evil\"\n{\"x\":1}", Decision.denyByDefault("no rule matched"), null);
        assertThat(e.toJson().contains("\n"), is(false));
        assertThat(AuditEvent.parse(e.toJson()).orElseThrow().subject(), is("evil\"\n{\"x\":1}"));
    }

    @Test
    void rotatesBySizeAndKeepsTheConfiguredNumberOfFiles() throws Exception {
        Path file = dir.resolve("proxy.jsonl");
        try (AuditLog log = AuditLog.open(file, 2048, 2)) {
            for (int i = 0; i < 100; i++) {
                log.record(event(i));
            }
        }
        assertThat(Files.size(file), lessThanOrEqualTo(2048L));
        assertThat(Files.exists(dir.resolve("proxy.jsonl.1")), is(true));
        assertThat(Files.exists(dir.resolve("proxy.jsonl.2")), is(true));
        assertThat(Files.exists(dir.resolve("proxy.jsonl.3")), is(false));
        assertThat(Files.size(dir.resolve("proxy.jsonl.1")), lessThanOrEqualTo(2048L));
        List<String> newest = Files.readAllLines(file);
        assertThat(newest.getLast().contains("host99.example"), is(true));
    }

    @Test
    void aFollowerReadsEveryLineOnceAcrossRotation() throws Exception {
        Path file = dir.resolve("proxy.jsonl");
        List<String> seen = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file, 1500, 5);
             AuditFollower follower = AuditFollower.open(file, true)) {
            for (int i = 0; i < 60; i++) {
                log.record(event(i));
                if (i % 7 == 0) {
                    seen.addAll(follower.poll());
                }
            }
            seen.addAll(follower.poll());
        }
        assertThat(Files.exists(dir.resolve("proxy.jsonl.3")), is(true));
        List<String> subjects = seen.stream().map(l -> AuditEvent.parse(l).orElseThrow().subject()).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            expected.add("host" + i + ".example:443");
        }
        assertThat(subjects, is(expected));
    }

    @Test
    void aFollowerStartingAtTheEndSeesOnlyNewLines() throws Exception {
        Path file = dir.resolve("proxy.jsonl");
        try (AuditLog log = AuditLog.open(file, 1 << 20, 3)) {
            log.record(event(1));
            try (AuditFollower follower = AuditFollower.open(file, false)) {
                assertThat(follower.poll(), is(empty()));
                log.record(event(2));
                assertThat(follower.poll().stream().map(l -> AuditEvent.parse(l).orElseThrow().subject()).toList(),
                        contains("host2.example:443"));
            }
        }
    }

    @Test
    void aFollowerStartsOverWhenTheFileIsTruncated() throws Exception {
        Path file = dir.resolve("proxy.jsonl");
        Files.writeString(file, event(1).toJson() + "\n" + event(2).toJson() + "\n");
        try (AuditFollower follower = AuditFollower.open(file, true)) {
            assertThat(follower.poll().size(), is(2));
            Files.writeString(file, event(3).toJson() + "\n");
            assertThat(follower.poll().stream().map(l -> AuditEvent.parse(l).orElseThrow().subject()).toList(),
                    contains("host3.example:443"));
        }
    }

    @Test
    void aFollowerHoldsBackAHalfWrittenLine() throws Exception {
        Path file = dir.resolve("proxy.jsonl");
        String line = event(1).toJson();
        Files.writeString(file, line.substring(0, 10));
        try (AuditFollower follower = AuditFollower.open(file, true)) {
            assertThat(follower.poll(), is(empty()));
            Files.writeString(file, line.substring(10) + "\n", java.nio.file.StandardOpenOption.APPEND);
            assertThat(follower.poll(), contains(line));
        }
    }

    @Test
    void aFollowerWaitsForAFileThatDoesNotExistYet() throws Exception {
        Path file = dir.resolve("later.jsonl");
        try (AuditFollower follower = AuditFollower.open(file, true)) {
            assertThat(follower.poll(), is(empty()));
            Files.writeString(file, event(5).toJson() + "\n");
            assertThat(follower.poll().size(), is(1));
        }
    }

    @Test
    void subscribersGetEachEventAfterItIsWritten() throws Exception {
        Path file = dir.resolve("proxy.jsonl");
        List<AuditEvent> got = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file, 1 << 20, 3)) {
            AutoCloseable sub = log.subscribe(e -> {
                try {
                    // written before the subscriber hears of it
                    assertThat(Files.readString(file).contains(e.subject()), is(true));
                } catch (java.io.IOException ex) {
                    throw new IllegalStateException(ex);
                }
                got.add(e);
            });
            log.record(event(1));
            sub.close();
            log.record(event(2));
        }
        assertThat(got.size(), is(1));
        assertThat(got.getFirst().detail(), is(Map.of("method", "CONNECT")));
    }
}
