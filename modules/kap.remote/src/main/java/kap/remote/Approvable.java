package kap.remote;

import java.util.Optional;
import java.util.Set;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/**
 * What a human could approve about a denial: the kind of request, the pattern a grant or a kap.toml line would
 * hold, and the MCP server or CLI tool it belongs to. A denial that no grant can lift (a deny rule, a non-public
 * address) is still a request, to be seen and dismissed, with the reason it cannot be approved here.
 *
 * @param kind {@code network}, {@code mcp}, {@code cli} or {@code pin} (an MCP tool whose definition changed)
 * @param pattern the rule a grant or kap.toml line would hold: a network rule, a tool name, or a command pattern
 * @param owner the MCP server or CLI tool, or empty for network requests
 * @param blocked why it cannot be approved from the phone, or empty if it can
 */
record Approvable(String kind, String pattern, Optional<String> owner, Optional<String> blocked) {

    private static final Set<String> OPEN_TO_GRANTS = Set.of(Reasons.NO_RULE_MATCHED, Reasons.EMPTY_ALLOW_LIST,
            Reasons.PORT_NOT_ALLOWED, Reasons.IP_LITERAL_NEEDS_IP_RULE);

    /** The grant pattern: a network rule, {@code server/tool} or {@code tool command-pattern}. */
    String grantPattern() {
        return owner.map(o -> kind.equals("mcp") ? o + "/" + pattern : o + " " + pattern).orElse(pattern);
    }

    /** The grant scope for the sidecar's {@code POST /grants}. */
    String scope() {
        return kind;
    }

    /** What a denial asks of a human, if anything. */
    static Optional<Approvable> of(AuditEvent e) {
        if (e.source().equals("mcp") && e.verdict() == AuditEvent.Outcome.ALERT
                && e.reason().equals(Reasons.TOOL_CHANGED)) {
            return split(e.subject(), '/').map(p -> new Approvable("pin", p[1], Optional.of(p[0]), Optional.empty()));
        }
        if (e.verdict() != AuditEvent.Outcome.DENY) {
            return Optional.empty();
        }
        Optional<String> blocked = blocked(e.reason());
        if (blocked.isEmpty() && !OPEN_TO_GRANTS.contains(e.reason())) {
            return Optional.empty();
        }
        return switch (e.source()) {
            case "egress" -> network(hostOf(e.subject()), blocked);
            case "dns" -> e.subject().contains(" ")
                    ? network(e.subject().substring(0, e.subject().indexOf(' ')), blocked) : Optional.empty();
            case "mcp" -> "tools/call".equals(e.detail().get("method")) ? split(e.subject(), '/')
                    .map(p -> new Approvable("mcp", p[1], Optional.of(p[0]), blocked.or(() -> wildcard(p[1]))))
                    : Optional.empty();
            case "clix" -> cli(e.subject(), blocked);
            default -> Optional.empty();
        };
    }

    private static Optional<String> blocked(String reason) {
        return switch (reason) {
            case Reasons.DENIED_BY_RULE -> Optional.of("a deny rule in kap.toml matches it, and deny always wins; "
                    + "only an edit of kap.toml can change that");
            case Reasons.NON_PUBLIC_ADDRESS -> Optional.of("it resolves to a non-public address; only "
                    + "unsafe_allow_cidrs in kap.toml can open that");
            default -> Optional.empty();
        };
    }

    private static Optional<Approvable> network(String rule, Optional<String> blocked) {
        if (rule.isBlank() || rule.equals("-")) {
            return Optional.empty();
        }
        return Optional.of(new Approvable("network", rule, Optional.empty(), blocked));
    }

    /** {@code host:443} and {@code host:80} become {@code host} (a bare rule opens both); other ports stay. */
    static String hostOf(String subject) {
        int colon = subject.lastIndexOf(':');
        if (colon <= 0 || subject.endsWith("]")) {
            return subject;
        }
        String host = subject.substring(0, colon);
        String port = subject.substring(colon + 1);
        if (port.equals("443") || port.equals("80")) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }
        return subject;
    }

    /**
     * A command's pattern: the plain words up to the first flag or quoted word, then {@code *}, as a person would
     * write it in kap.toml ({@code gh issue create --title x} becomes {@code issue create *} for {@code gh}).
     */
    private static Optional<Approvable> cli(String subject, Optional<String> blocked) {
        String[] words = subject.split(" ");
        StringBuilder pattern = new StringBuilder();
        for (int i = 1; i < words.length && !words[i].startsWith("-") && !words[i].startsWith("'")
                && !words[i].contains("*") && !words[i].equals("..."); i++) {
            pattern.append(words[i]).append(' ');
        }
        if (words.length < 2 || words[0].isBlank()) {
            return Optional.empty();
        }
        Optional<String> cannot = blocked.or(() -> pattern.isEmpty() ? Optional.of("the command has no plain "
                + "subcommand to approve; add a pattern to kap.toml by hand") : Optional.empty());
        return Optional.of(new Approvable("cli", pattern + "*", Optional.of(words[0]), cannot));
    }

    private static Optional<String> wildcard(String name) {
        return name.matches(".*[*?\\[\\]].*") ? Optional.of("the tool name holds wildcard characters")
                : Optional.empty();
    }

    private static Optional<String[]> split(String subject, char at) {
        int i = subject.indexOf(at);
        if (i <= 0 || i == subject.length() - 1 || subject.indexOf(' ') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new String[] {subject.substring(0, i), subject.substring(i + 1)});
    }
}
