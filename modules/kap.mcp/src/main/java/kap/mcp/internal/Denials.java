package kap.mcp.internal;

import kap.policy.Reasons;

/**
 * The text of a denial, written for the agent that will read it: what was denied and by which rule, that every other
 * route to the server is closed too, and how a human can allow it.
 */
final class Denials {

    private static final String NO_OTHER_ROUTE = " Other routes fail too: the capsule has no network route to this"
            + " MCP server and its host is not in the domain allowlist, so calling it directly will not work.";

    private Denials() {
    }

    static String message(String server, Ruling r) {
        String what = r.name() == null ? "the MCP method \"" + Names.printable(r.method()) + "\""
                : r.method() + " \"" + Names.printable(r.name()) + "\"";
        return "kap denied " + what + " on MCP server \"" + server + "\": " + why(r) + "." + NO_OTHER_ROUTE + " "
                + howToAllow(server, r);
    }

    private static String why(Ruling r) {
        String reason = r.decision().reason();
        return switch (reason) {
            case Reasons.DENIED_BY_RULE -> "denied by rule \"" + r.decision().ruleOrDash() + "\" in kap.toml";
            case Reasons.NO_RULE_MATCHED -> "no allow rule in kap.toml matches it (no rule matched)";
            case Reasons.EMPTY_ALLOW_LIST -> "the allow list for it in kap.toml is empty (allow list is empty)";
            case Reasons.TOOL_CHANGED -> "tool changed since approval: its description or input schema is not the"
                    + " one a human approved, so it stays hidden and uncallable until re-approved";
            case Reasons.UNSAFE_NAME -> "unsafe name: it holds control, invisible or non-ASCII characters that kap"
                    + " refuses to judge";
            case Reasons.METHOD_NOT_ALLOWED -> "method not allowed: kap forwards only MCP methods it can judge";
            case Reasons.NOT_CONFIGURED -> "the server is not configured in kap.toml (not configured)";
            default -> reason;
        };
    }

    private static String howToAllow(String server, Ruling r) {
        String entry = "the [[mcp.servers]] entry with name = \"" + server + "\" in kap.toml";
        return switch (r.decision().reason()) {
            case Reasons.TOOL_CHANGED -> "To allow it, a human reviews the change and runs `kap mcp approve " + server
                    + " " + Names.printable(r.name()) + "` on the host, or approves it from the kap phone app.";
            case Reasons.UNSAFE_NAME, Reasons.METHOD_NOT_ALLOWED -> "This cannot be allowed in kap.toml; ask a"
                    + " human to check the MCP server.";
            default -> switch (r.kind()) {
                case "tool" -> "To allow it, a human adds \"" + Names.printable(r.name()) + "\" to allow (and removes"
                        + " any matching deny) in " + entry + "; it applies within a second, without a restart. Or"
                        + " approve the request from the kap phone app.";
                case "resource" -> "To allow it, a human adds the URI (or a glob such as \"file:///docs/*\") to"
                        + " allow_resources in " + entry + "; it applies within a second.";
                case "prompt" -> "To allow it, a human adds \"" + Names.printable(r.name()) + "\" to allow_prompts in "
                        + entry + "; it applies within a second.";
                default -> "A human can change " + entry + ".";
            };
        };
    }
}
