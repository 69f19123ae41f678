package kap.remote;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads Claude Code session files (JSONL, one object per line) into timelines and session summaries, as the
 * original kap did. A line that is not a JSON object is skipped and counted, never fatal: the agent may be writing
 * the file while we read it.
 */
final class Timeline {

    /** Longer lines are skipped as malformed rather than parsed. */
    static final int MAX_LINE = 1024 * 1024;

    private static final Set<String> HIDDEN_TYPES = Set.of("progress", "file-history-snapshot", "last-prompt",
            "queue-operation");

    private Timeline() {
    }

    /** The events of some lines, and how many lines were malformed. */
    record Parsed(List<SessionEvent> events, int malformed) {
    }

    static Parsed parse(List<String> lines) {
        List<SessionEvent> events = new ArrayList<>();
        int malformed = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Optional<JsonNode> n = json(line);
            if (n.isEmpty()) {
                malformed++;
                continue;
            }
            event(n.get()).ifPresent(events::add);
        }
        return new Parsed(List.copyOf(events), malformed);
    }

    /** One line's event; empty for lines the timeline does not show. */
    static Optional<SessionEvent> event(JsonNode n) {
        String type = n.path("type").isTextual() ? n.path("type").asText() : null;
        if (type == null || HIDDEN_TYPES.contains(type)) {
            return Optional.empty();
        }
        JsonNode message = n.path("message");
        Optional<String> role = textOf(message.path("role"));
        JsonNode content = message.path("content");
        if (type.equals("user") && role.equals(Optional.of("user")) && content.isTextual()
                && (content.asText().startsWith("<local-command") || content.asText().startsWith("<command-"))) {
            return Optional.empty();
        }
        Optional<String> summary = switch (type) {
            case "system" -> Optional.of("system event");
            case "user" -> Summaries.user(content);
            case "assistant" -> Summaries.assistant(content);
            default -> Optional.empty();
        };
        Optional<String> tool = type.equals("assistant") ? Summaries.firstToolName(content) : Optional.empty();
        return Optional.of(new SessionEvent(type, role, textOf(n.path("timestamp")), summary,
                textOf(message.path("model")), tool, textOf(n.path("uuid"))));
    }

    /** A session's summary from its line count, first lines and last lines. */
    static SessionInfo info(String id, String projectDir, long lineCount, List<String> head, List<String> tail) {
        Optional<String> branch = Optional.empty();
        Optional<String> cwd = Optional.empty();
        Optional<String> task = Optional.empty();
        for (String line : head) {
            Optional<JsonNode> n = json(line);
            if (n.isEmpty()) {
                continue;
            }
            if (branch.isEmpty()) {
                branch = textOf(n.get().path("gitBranch"));
            }
            if (cwd.isEmpty()) {
                cwd = textOf(n.get().path("cwd"));
            }
            if (task.isEmpty()) {
                task = userText(n.get()).map(t -> Summaries.truncate(t, 80));
            }
        }
        Optional<String> last = Optional.empty();
        for (String line : tail) {
            Optional<String> t = json(line).flatMap(n -> textOf(n.path("timestamp")));
            if (t.isPresent()) {
                last = t;
            }
        }
        return new SessionInfo(id, Projects.decode(projectDir), task, branch, cwd, cwd.flatMap(Projects::worktree),
                last, lineCount);
    }

    /** What the user typed in a line, if it is a user message with text that is not a command or meta note. */
    static Optional<String> userText(JsonNode n) {
        JsonNode message = n.path("message");
        if (!"user".equals(n.path("type").asText()) || !"user".equals(message.path("role").asText())) {
            return Optional.empty();
        }
        JsonNode content = message.path("content");
        Optional<String> text = Optional.empty();
        if (content.isTextual()) {
            text = Optional.of(content.asText());
        } else if (content.isArray()) {
            for (JsonNode block : content) {
                if ("text".equals(block.path("type").asText()) && !block.path("text").asText().isBlank()) {
                    text = Optional.of(block.path("text").asText());
                    break;
                }
            }
        }
        return text.filter(t -> !t.isBlank() && !t.startsWith("<"));
    }

    /** Newest first, sessions without a time last. */
    static List<SessionInfo> sorted(List<SessionInfo> sessions) {
        List<SessionInfo> result = new ArrayList<>(sessions);
        result.sort(Comparator.comparing((SessionInfo s) -> s.lastEvent().orElse(null),
                Comparator.nullsLast(Comparator.<String>reverseOrder())));
        return result;
    }

    static Optional<JsonNode> json(String line) {
        if (line.length() > MAX_LINE) {
            return Optional.empty();
        }
        try {
            JsonNode n = Api.JSON.readTree(line);
            return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> textOf(JsonNode n) {
        return n != null && n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }
}
