package kap.mcp.internal;

import java.util.Objects;

import kap.policy.Decision;

/**
 * The judgement of one client message.
 *
 * @param decision the policy decision (or kap's own, such as an unsafe name)
 * @param method the JSON-RPC method, or {@code "(invalid)"}
 * @param name the tool, prompt or resource judged, or {@code null} when the method names none
 * @param kind what {@code name} is: {@code tool}, {@code prompt}, {@code resource} or {@code method}
 * @param audited whether an allowed message is worth an audit line (calls and reads are; pings are not)
 */
record Ruling(Decision decision, String method, String name, String kind, boolean audited) {

    Ruling {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(kind, "kind");
    }

    boolean allowed() {
        return decision.allowed();
    }

    /** The audit subject after {@code <server>/}: the tool name, or {@code <method> <name>}. */
    String subject() {
        if ("tools/call".equals(method) && name != null) {
            return Names.printable(name);
        }
        return name == null ? method : method + " " + Names.printable(name);
    }
}
