package kap.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Claude Code session parsing, on realistic fixtures (with malformed lines, which are skipped and counted) and on the
 * original's checklist of single cases.
 */
class TimelineTest {

    static List<String> fixture(String path) throws IOException {
        try (InputStream in = TimelineTest.class.getResourceAsStream("/sessions/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static SessionEvent one(String line) throws IOException {
        return Timeline.event(Api.JSON.readTree(line)).orElseThrow();
    }

    private static Optional<SessionEvent> maybe(String line) throws IOException {
        return Timeline.event(Api.JSON.readTree(line));
    }

    @Nested
    class RealisticSession {

        @Test
        void parsesMessagesToolCallsAndResultsAndCountsMalformedLines() throws IOException {
            Timeline.Parsed parsed = Timeline.parse(fixture(
                    "-home-dev-projects-shop/0b6d2c8e-4f1a-4c3e-9a57-2d8c1e5f7a90.jsonl"));
            assertThat("truncated JSON, plain text and a JSON array", parsed.malformed(), is(3));
            List<String> summaries = parsed.events().stream().map(e -> e.type() + ": " + e.summary().orElse("-"))
                    .toList();
            assertThat(summaries, is(List.of(
                    "user: The cart total is wrong when a coupon and free shipping apply together. Please fix it and"
                            + " add a test.",
                    "assistant: thinking…",
                    "assistant: applyCoupon",
                    "user: src/cart/total.ts…",
                    "assistant: /home/dev/projects/shop/src/cart/total.ts",
                    "user: export function total(cart) {…",
                    "assistant: npm test -- cart…",
                    "user: (error) npm: command not found",
                    "system: system event",
                    summaries.get(9),
                    "assistant: tool_use: mcp__github__create_pull_request",
                    "user: (empty result)",
                    "summary: -")));
            SessionEvent grep = parsed.events().get(2);
            assertThat(grep.toolName(), is(Optional.of("Grep")));
            assertThat(grep.model(), is(Optional.of("claude-opus-4-5")));
            assertThat(grep.uuid(), is(Optional.of("a2")));
            assertThat(grep.timestamp(), is(Optional.of("2026-12-04T20:00:06.000Z")));
            String longText = parsed.events().get(9).summary().orElseThrow();
            assertThat(longText.codePointCount(0, longText.length()), is(201));
            assertThat(longText, endsWith("…"));
        }

        @Test
        void summarisesTheSessionFromItsHeadAndTail() throws IOException {
            List<String> lines = fixture("-home-dev-projects-shop/0b6d2c8e-4f1a-4c3e-9a57-2d8c1e5f7a90.jsonl");
            SessionInfo info = Timeline.info("0b6d2c8e-4f1a-4c3e-9a57-2d8c1e5f7a90", "-home-dev-projects-shop",
                    lines.size(), lines.subList(0, 5), lines.subList(lines.size() - 3, lines.size()));
            assertThat(info.project(), is("projects-shop"));
            assertThat(info.branch(), is(Optional.of("feature/cart")));
            assertThat(info.cwd(), is(Optional.of("/home/dev/projects/shop")));
            assertThat("commands are not the task; cut to 80", info.task(), is(Optional.of("The cart total is wrong "
                    + "when a coupon and free shipping apply together. Please f…")));
            assertThat(info.lastEvent(), is(Optional.of("2026-12-04T20:00:31.000Z")));
            assertThat(info.eventCount(), is(23L));
            assertThat(info.worktree(), is(Optional.empty()));
            JsonNode json = info.toJson();
            assertThat(json.has("worktree"), is(false));
            assertThat(json.path("last_event").asText(), is("2026-12-04T20:00:31.000Z"));
        }

        @Test
        void aWorktreeSessionNamesItsWorktreeAndArrayTask() throws IOException {
            List<String> lines = fixture("-workspace/7f3a9c1e-1111-2222-3333-444455556666.jsonl");
            SessionInfo info = Timeline.info("7f3a9c1e-1111-2222-3333-444455556666", "-workspace", 2, lines, lines);
            assertThat(info.project(), is("workspace"));
            assertThat(info.worktree(), is(Optional.of("login-fix")));
            assertThat(info.task(), is(Optional.of("Fix the login redirect loop")));
        }

        @Test
        void garbageNeverThrows() {
            List<String> garbage = Stream.of("", "{", "}", "null", "\"str\"", "{\"type\":7}", "{\"type\":\"user\"}",
                    "{\"type\":\"user\",\"message\":[]}", "{\"type\":\"assistant\",\"message\":{\"content\":\"x\"}}",
                    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\"}]}}",
                    "x".repeat(Timeline.MAX_LINE + 1)).toList();
            Timeline.Parsed parsed = Timeline.parse(garbage);
            assertThat(parsed.malformed(), is(5));
            assertThat(parsed.events().size(), lessThan(garbage.size()));
        }
    }

    record Case(String name, String line, String summary) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("user message", "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"hello\"}}",
                        "hello"),
                new Case("assistant text", "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"Hi there\"}]}}", "Hi there"),
                new Case("tool_use with empty input", "{\"type\":\"assistant\",\"message\":{\"content\":"
                        + "[{\"type\":\"tool_use\",\"name\":\"Read\",\"input\":{}}]}}", "tool_use: Read"),
                new Case("thinking", "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"thinking\","
                        + "\"thinking\":\"hmm\"}]}}", "thinking…"),
                new Case("system", "{\"type\":\"system\"}", "system event"),
                new Case("tool result ok", "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"tool_result\",\"content\":\"ok\"}]}}", "ok"),
                new Case("tool result array", "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"tool_result\",\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}]}}", "done"),
                new Case("tool result other", "{\"type\":\"user\",\"message\":{\"content\":"
                        + "[{\"type\":\"tool_result\",\"content\":{\"a\":1}}]}}", "(tool result)"),
                new Case("error without text", "{\"type\":\"user\",\"message\":{\"content\":"
                        + "[{\"type\":\"tool_result\",\"is_error\":true}]}}", "(error) error"),
                new Case("Bash", "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"name\":"
                        + "\"Bash\",\"input\":{\"command\":\"ls -la\"}}]}}", "ls -la"),
                new Case("multiline Bash", "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\","
                        + "\"name\":\"Bash\",\"input\":{\"command\":\"echo hello\\necho world\"}}]}}", "echo hello…"),
                new Case("Agent description", "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":"
                        + "\"tool_use\",\"name\":\"Agent\",\"input\":{\"prompt\":\"p\",\"description\":\"d\"}}]}}", "d"),
                new Case("unknown tool with path", "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":"
                        + "\"tool_use\",\"name\":\"CustomTool\",\"input\":{\"path\":\"/x\"}}]}}", "/x"),
                new Case("unknown tool", "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\","
                        + "\"name\":\"CustomTool\",\"input\":{\"z\":1}}]}}", "tool_use: CustomTool"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void summarises(Case c) throws IOException {
        assertThat(one(c.line()).summary(), is(Optional.of(c.summary())));
    }

    @Test
    void filtersProgressSnapshotsQueueLastPromptAndLocalCommands() throws IOException {
        for (String type : List.of("progress", "file-history-snapshot", "queue-operation", "last-prompt")) {
            assertThat(type, maybe("{\"type\":\"" + type + "\"}"), is(Optional.empty()));
        }
        assertThat(maybe("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"<local-command-stdout>x"
                + "</local-command-stdout>\"}}"), is(Optional.empty()));
        assertThat(maybe("{\"message\":{}}"), is(Optional.empty()));
    }

    @Test
    void truncatesByCharactersWithAnEllipsis() {
        String s = "é".repeat(300);
        String cut = Summaries.truncate(s, 200);
        assertThat(cut.codePointCount(0, cut.length()), is(201));
        assertThat(cut, endsWith("…"));
        assertThat(Summaries.truncate("  short  ", 200), is("short"));
        assertThat(Summaries.truncate("a\nb", 200), is("a…"));
    }

    @Test
    void decodesProjectDirectories() {
        assertThat(Projects.decode("-Users-peter-oss-kap"), is("oss-kap"));
        assertThat(Projects.decode("-home-ubuntu-projects-my-app"), is("projects-my-app"));
        assertThat(Projects.decode("-tmp-x"), is("tmp-x"));
        assertThat(Projects.decode("-Users-peter"), is("Users-peter"));
        assertThat(Projects.decode("-workspace"), is("workspace"));
        assertThat(Projects.ofPath("/root/.claude/projects/-workspace/a.jsonl"), is("workspace"));
        assertThat(Projects.ofPath("/tmp/a.jsonl"), is("unknown"));
        assertThat(Projects.worktree("/workspace/.worktrees/a/b"), is(Optional.of("a")));
        assertThat(Projects.worktree("/workspace"), is(Optional.empty()));
    }

    @Test
    void sortsByLastEventNewestFirstWithUnknownLast() {
        SessionInfo a = new SessionInfo("a", "p", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("2026-01-01T00:00:00Z"), 1);
        SessionInfo b = new SessionInfo("b", "p", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1);
        SessionInfo c = new SessionInfo("c", "p", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("2026-02-01T00:00:00Z"), 1);
        assertThat(Timeline.sorted(List.of(a, b, c)).stream().map(SessionInfo::id).toList(), is(List.of("c", "a", "b")));
    }

    @Test
    void leavesAbsentFieldsOutOfTheJson() throws IOException {
        JsonNode json = one("{\"type\":\"system\"}").toJson();
        assertThat(json.has("role"), is(false));
        assertThat(json.has("uuid"), is(false));
        assertThat(json.path("summary").asText(), is("system event"));
    }
}
