package kap.egress.internal;

import java.net.InetAddress;
import java.util.Optional;

import kap.policy.Classification;
import kap.policy.Decision;
import kap.policy.HostPort;
import kap.policy.Policy;
import kap.policy.Reasons;

/**
 * What a 403 tells the agent. An agent that only learns "403" retries: with curl flags, another DNS server, or by
 * unsetting the proxy. So the text says what was blocked and why, that every other route is closed too, and exactly
 * what a human would change to allow it.
 */
final class DenyMessage {

    private DenyMessage() {
    }

    /**
     * The text/plain body.
     *
     * @param method request method
     * @param target the target
     * @param decision the deny
     * @param refused for an address-layer deny, the address refused
     * @return body text, ending with a newline
     */
    static String body(String method, HostPort target, Decision decision, Optional<Classification> refused) {
        StringBuilder out = new StringBuilder(768);
        out.append("kap denied ").append(method).append(' ').append(target.authority()).append(".\n");
        out.append("Reason: ").append(decision.reason()).append(explain(target, decision, refused)).append('\n');
        out.append("Rule: ").append(decision.rule().map(r -> "\"" + r + "\"").orElse("none (default deny)"))
                .append("\n\n");
        out.append("""
                Do not retry another way: this capsule has no other route out. Direct connections, other DNS \
                servers, other proxies and unsetting HTTP(S)_PROXY are blocked by the network too, so only a \
                policy change helps.

                """);
        out.append("How a human can allow it:\n").append(howToAllow(target, decision, refused));
        return out.toString();
    }

    /**
     * The one-line {@code X-Kap-Decision} header value, such as
     * {@code deny; reason="denied by rule"; rule="gist.github.com"; target="gist.github.com:443"}.
     *
     * @param target the target, or {@code null} if the request named none that could be parsed
     * @param decision the deny
     * @param refused for an address-layer deny, the address refused
     * @return header value, printable ASCII only
     */
    static String header(HostPort target, Decision decision, Optional<Classification> refused) {
        StringBuilder out = new StringBuilder(128).append("deny; reason=").append(quote(decision.reason()))
                .append("; rule=").append(quote(decision.ruleOrDash()));
        if (target != null) {
            out.append("; target=").append(quote(target.authority()));
        }
        refused.ifPresent(c -> out.append("; address=").append(quote(canonical(c.address())))
                .append("; class=").append(quote(c.addressClass().name())));
        return out.toString();
    }

    /**
     * The 403's reason phrase. Most clients hide the body of a refused CONNECT (curl prints only the status code,
     * Python and git print the status line), so the status line itself carries the gist: what, why, that other routes
     * fail too, and what a human would change.
     *
     * @param target the target
     * @param decision the deny
     * @param refused for an address-layer deny, the address refused
     * @return printable ASCII, one line
     */
    static String reasonPhrase(HostPort target, Decision decision, Optional<Classification> refused) {
        String why = switch (decision.reason()) {
            case Reasons.DENIED_BY_RULE -> "denied by rule \"" + decision.ruleOrDash() + "\"";
            case Reasons.NON_PUBLIC_ADDRESS -> "resolves to non-public address "
                    + refused.map(c -> canonical(c.address())).orElse("?");
            default -> decision.reason();
        };
        String fix = switch (decision.reason()) {
            case Reasons.DENIED_BY_RULE -> "only a human removing that deny rule from kap.toml can allow it";
            case Reasons.NON_PUBLIC_ADDRESS -> "only a human can open it with unsafe_allow_cidrs in kap.toml";
            default -> "ask a human to add \"" + allowEntry(target) + "\" to allow in kap.toml";
        };
        return printable("Forbidden by kap: " + target.authority() + " " + why + "; other routes are blocked too; "
                + fix);
    }

    /** The exact {@code allow} entry that opens this target on this port. */
    static String allowEntry(HostPort target) {
        String host = target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host();
        return Policy.DEFAULT_PORTS.contains(target.port()) && target.host().indexOf(':') < 0
                ? host : host + ":" + target.port();
    }

    private static String explain(HostPort target, Decision decision, Optional<Classification> refused) {
        return switch (decision.reason()) {
            case Reasons.NO_RULE_MATCHED -> " (no allow rule in [proxy.network] names " + target.host() + " on port "
                    + target.port() + ")";
            case Reasons.EMPTY_ALLOW_LIST -> " (the [proxy.network] allow list is empty)";
            case Reasons.PORT_NOT_ALLOWED -> " (a bare rule opens ports 80 and 443 only; port " + target.port()
                    + " needs its own host:port rule)";
            case Reasons.NON_PUBLIC_ADDRESS -> refused.map(c -> " (" + (target.isIpLiteral() ? "" : target.host()
                    + " resolved to ") + canonical(c.address()) + ": " + c.reason() + "; kap refuses non-public "
                    + "addresses to stop SSRF and DNS rebinding)").orElse("");
            default -> "";
        };
    }

    private static String howToAllow(HostPort target, Decision decision, Optional<Classification> refused) {
        if (Reasons.DENIED_BY_RULE.equals(decision.reason())) {
            return "  - a deny rule matches and deny always wins: remove \"" + decision.ruleOrDash() + "\" from deny in "
                    + "kap.toml (or the global ~/.kap/kap.toml).\n";
        }
        if (Reasons.NON_PUBLIC_ADDRESS.equals(decision.reason()) && refused.isPresent()) {
            String address = canonical(refused.get().address());
            String cidr = address.indexOf(':') >= 0 ? address + "/128" : address + "/32";
            return "  - only if this host is meant to be reachable (an intranet service), add under [proxy.network] "
                    + "in kap.toml:\n        unsafe_allow_cidrs = [..., \"" + cidr + "\"]\n";
        }
        return "  - add it to kap.toml; edits apply within a second, without a restart:\n"
                + "        [proxy.network]\n"
                + "        allow = [..., \"" + allowEntry(target) + "\"]\n"
                + "  - or approve the request in the kap phone UI (kap remote).\n";
    }

    /** An address as kap.toml writes it: RFC 5952 for IPv6 ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
    static String canonical(InetAddress address) {
        return HostPort.normalizeHost(address.getHostAddress());
    }

    /** An RFC 9110 quoted-string of printable ASCII; anything else becomes '?'. */
    static String quote(String value) {
        String text = printable(value);
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** Printable ASCII and spaces only, safe in a header or status line; anything else becomes '?'. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
