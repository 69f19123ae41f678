package kap.remote;

import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of an agent's timeline: a message, a tool call or a tool result, summarised for a phone screen.
 *
 * @param type the line's {@code type} ({@code user}, {@code assistant}, {@code system}...)
 * @param role the message role, if any
 * @param timestamp the line's time stamp as written, if any
 * @param summary one line of text, cut to fit, if any
 * @param model the model that wrote an assistant message, if known
 * @param toolName the first tool an assistant message calls, if any
 * @param uuid the line's id, used to drop duplicates when a live stream overlaps the history
 */
record SessionEvent(String type, Optional<String> role, Optional<String> timestamp, Optional<String> summary,
                    Optional<String> model, Optional<String> toolName, Optional<String> uuid) {

    /** JSON with absent fields left out. */
    ObjectNode toJson() {
        ObjectNode n = Api.object().put("type", type);
        role.ifPresent(v -> n.put("role", v));
        timestamp.ifPresent(v -> n.put("timestamp", v));
        summary.ifPresent(v -> n.put("summary", v));
        model.ifPresent(v -> n.put("model", v));
        toolName.ifPresent(v -> n.put("tool_name", v));
        uuid.ifPresent(v -> n.put("uuid", v));
        return n;
    }
}
