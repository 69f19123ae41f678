package kap.cli;

import java.util.Optional;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/**
 * The kap.toml line that would allow a denied request, for {@code kap why-denied}. Guards that no rule can open (a
 * malformed query, an exhausted zone budget) get none: they are not policy.
 */
final class Suggestions {

    private Suggestions() {
    }

    static Optional<String> forDenial(AuditEvent e) {
        return switch (e.source()) {
            case "egress" -> egress(e);
            case "dns" -> dns(e);
            case "mcp" -> tool(e.subject(), '/', "[[mcp.servers]] name = \"%s\": allow = [\"%s\"]");
            case "clix" -> tool(e.subject(), ' ', "[[cli.tools]] name = \"%s\": allow = [\"%s\"]");
            default -> Optional.empty();
        };
    }

    private static Optional<String> egress(AuditEvent e) {
        String subject = e.subject();
        int colon = subject.lastIndexOf(':');
        String host = colon > 0 ? subject.substring(0, colon) : subject;
        String port = colon > 0 ? subject.substring(colon + 1) : "";
        boolean webPort = port.equals("443") || port.equals("80") || port.isEmpty();
        String rule = webPort ? host : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return switch (e.reason()) {
            case Reasons.NO_RULE_MATCHED, Reasons.EMPTY_ALLOW_LIST, Reasons.IP_LITERAL_NEEDS_IP_RULE ->
                    Optional.of("[proxy.network] allow = [\"" + rule + "\"]");
            case Reasons.PORT_NOT_ALLOWED -> Optional.of("[proxy.network] allow = [\"" + host + ":" + port + "\"]");
            case Reasons.DENIED_BY_RULE -> Optional.of("remove \"" + e.rule().orElse(host)
                    + "\" from [proxy.network] deny");
            case Reasons.NON_PUBLIC_ADDRESS -> Optional.of("[proxy.network] unsafe_allow_cidrs = [\""
                    + String.valueOf(e.detail().getOrDefault("address", "ADDRESS")) + "/32\"]  (only if you mean"
                    + " to reach a private address)");
            default -> Optional.empty();
        };
    }

    private static Optional<String> dns(AuditEvent e) {
        String name = e.subject().contains(" ") ? e.subject().substring(0, e.subject().indexOf(' ')) : e.subject();
        return switch (e.reason()) {
            case Reasons.NO_RULE_MATCHED, Reasons.EMPTY_ALLOW_LIST ->
                    Optional.of("[proxy.network] allow = [\"" + name + "\"]");
            case Reasons.DENIED_BY_RULE -> Optional.of("remove \"" + e.rule().orElse(name)
                    + "\" from [proxy.network] deny");
            default -> Optional.empty();
        };
    }

    private static Optional<String> tool(String subject, char separator, String format) {
        int at = subject.indexOf(separator);
        if (at <= 0) {
            return Optional.empty();
        }
        return Optional.of(format.formatted(subject.substring(0, at), subject.substring(at + 1)));
    }
}
