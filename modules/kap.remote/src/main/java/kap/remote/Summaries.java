package kap.remote;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One-line summaries of message content, tool calls and tool results, cut to fit a phone screen.
 */
final class Summaries {

    private Summaries() {
    }

    /** A user message: its text, or the result of the tool it returns. */
    static Optional<String> user(JsonNode content) {
        if (content.isTextual()) {
            return Optional.of(truncate(content.asText(), 200));
        }
        if (!content.isArray()) {
            return Optional.empty();
        }
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText()) && !block.path("text").asText().isBlank()) {
                return Optional.of(truncate(block.path("text").asText(), 200));
            }
        }
        for (JsonNode block : content) {
            if ("tool_result".equals(block.path("type").asText())) {
                return Optional.of(toolResult(block));
            }
        }
        return Optional.empty();
    }

    /** An assistant message: its text, else the tool it calls, else that it is thinking. */
    static Optional<String> assistant(JsonNode content) {
        if (!content.isArray()) {
            return Optional.empty();
        }
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText()) && !block.path("text").asText().isBlank()) {
                return Optional.of(truncate(block.path("text").asText(), 200));
            }
        }
        for (JsonNode block : content) {
            if ("tool_use".equals(block.path("type").asText())) {
                String name = block.path("name").asText("");
                return Optional.of(compactInput(name, block.path("input")).orElse("tool_use: " + name));
            }
        }
        for (JsonNode block : content) {
            if ("thinking".equals(block.path("type").asText())) {
                return Optional.of("thinking…");
            }
        }
        return Optional.empty();
    }

    static Optional<String> firstToolName(JsonNode content) {
        if (content.isArray()) {
            for (JsonNode block : content) {
                if ("tool_use".equals(block.path("type").asText()) && block.path("name").isTextual()) {
                    return Optional.of(block.path("name").asText());
                }
            }
        }
        return Optional.empty();
    }

    static String toolResult(JsonNode block) {
        JsonNode content = block.path("content");
        if (block.path("is_error").asBoolean(false)) {
            return "(error) " + truncate(content.isTextual() ? content.asText() : "error", 150);
        }
        if (content.isTextual()) {
            String text = content.asText().strip();
            return text.isEmpty() ? "(empty result)" : truncate(text, 200);
        }
        if (content.isArray()) {
            for (JsonNode b : content) {
                if ("text".equals(b.path("type").asText()) && !b.path("text").asText().isBlank()) {
                    return truncate(b.path("text").asText(), 200);
                }
            }
        }
        return "(tool result)";
    }

    /** The one input field that says what a tool call does, cut to 120 characters. */
    static Optional<String> compactInput(String tool, JsonNode input) {
        String[] fields = switch (tool) {
            case "Bash" -> new String[] {"command"};
            case "Read", "Write", "Edit" -> new String[] {"file_path"};
            case "Grep", "Glob" -> new String[] {"pattern"};
            case "Agent" -> new String[] {"description", "prompt"};
            default -> new String[] {"command", "file_path", "path", "query"};
        };
        for (String f : fields) {
            JsonNode v = input.path(f);
            if (v.isTextual() && !v.asText().isBlank()) {
                return Optional.of(truncate(v.asText(), 120));
            }
        }
        return Optional.empty();
    }

    /**
     * The first line, trimmed; kept whole if it is at most {@code max} characters and the text had one line, else
     * cut to {@code max} characters with an ellipsis.
     */
    static String truncate(String s, int max) {
        int newline = s.indexOf('\n');
        String first = (newline < 0 ? s : s.substring(0, newline)).strip();
        int length = first.codePointCount(0, first.length());
        if (length <= max && newline < 0) {
            return first;
        }
        int end = first.offsetByCodePoints(0, Math.min(max, length));
        return first.substring(0, end) + "…";
    }
}
