package kap.mcp.internal;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import kap.mcp.PinStore;
import kap.policy.Decision;
import kap.policy.Policy;
import kap.policy.Reasons;

/**
 * Judges each message a client sends. In order, with early returns:
 * <ol>
 *     <li>responses (to server requests such as sampling) and {@code notifications/*} pass;</li>
 *     <li>{@code tools/call}, {@code prompts/get}, {@code resources/read|subscribe|unsubscribe} and
 *     {@code completion/complete} name what they touch: the name must be safe ({@link Names}) and allowed by the
 *     policy, and a tool must not have a pending change ({@link PinStore});</li>
 *     <li>methods that touch nothing by name (initialize, ping, lists, logging, tasks) pass; lists are filtered on the
 *     way back;</li>
 *     <li>any other method is denied: kap forwards only what it can judge.</li>
 * </ol>
 */
final class Judge {

    static final Set<String> PASSING = Set.of("initialize", "ping", "tools/list", "resources/list",
            "resources/templates/list", "prompts/list", "logging/setLevel", "tasks/get", "tasks/list", "tasks/result",
            "tasks/cancel");

    private final Policy policy;
    private final String server;
    private final PinStore pins;

    Judge(Policy policy, String server, PinStore pins) {
        this.policy = policy;
        this.server = server;
        this.pins = pins;
    }

    Ruling judge(JsonRpc.Message m) {
        if (m.kind() == JsonRpc.Kind.RESPONSE) {
            return pass("(response)");
        }
        String method = m.method();
        if (m.kind() == JsonRpc.Kind.NOTIFICATION) {
            return method.startsWith("notifications/") ? pass(method)
                    : new Ruling(Decision.denyByDefault(Reasons.METHOD_NOT_ALLOWED), method, null, "method", false);
        }
        JsonNode p = m.params();
        return switch (method) {
            case "tools/call" -> tool(method, p.path("name"));
            case "prompts/get" -> prompt(method, p.path("name"));
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> resource(method, p.path("uri"));
            case "completion/complete" -> completion(method, p.path("ref"));
            default -> PASSING.contains(method) ? pass(method)
                    : new Ruling(Decision.denyByDefault(Reasons.METHOD_NOT_ALLOWED), method, null, "method", true);
        };
    }

    private Ruling tool(String method, JsonNode name) {
        if (!name.isTextual() || !Names.safeName(name.asText())) {
            return unsafe(method, name, "tool");
        }
        String tool = name.asText();
        Decision d = policy.decideMcpTool(server, tool);
        if (d.allowed() && pins.changed(server, tool)) {
            d = Decision.deny(Reasons.TOOL_CHANGED, "pin");
        }
        return new Ruling(d, method, tool, "tool", true);
    }

    private Ruling prompt(String method, JsonNode name) {
        if (!name.isTextual() || !Names.safeName(name.asText())) {
            return unsafe(method, name, "prompt");
        }
        return new Ruling(policy.decideMcpPrompt(server, name.asText()), method, name.asText(), "prompt", true);
    }

    private Ruling resource(String method, JsonNode uri) {
        if (!uri.isTextual() || !Names.safeUri(uri.asText())) {
            return unsafe(method, uri, "resource");
        }
        return new Ruling(policy.decideMcpResource(server, uri.asText()), method, uri.asText(), "resource", true);
    }

    /** Completions reveal argument values of a prompt or resource template: judge what they refer to. */
    private Ruling completion(String method, JsonNode ref) {
        return switch (ref.path("type").asText("")) {
            case "ref/prompt" -> prompt(method, ref.path("name"));
            case "ref/resource" -> resource(method, ref.path("uri"));
            default -> new Ruling(Decision.denyByDefault(Reasons.METHOD_NOT_ALLOWED), method, null, "method", true);
        };
    }

    private static Ruling unsafe(String method, JsonNode name, String kind) {
        return new Ruling(Decision.denyByDefault(Reasons.UNSAFE_NAME), method,
                name.isTextual() ? name.asText() : "(missing)", kind, true);
    }

    private static Ruling pass(String method) {
        return new Ruling(Decision.pass("passes"), method, null, "method", false);
    }
}
