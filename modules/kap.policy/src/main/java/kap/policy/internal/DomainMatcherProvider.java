package kap.policy.internal;

import java.util.function.Function;

import kap.policy.HostPort;
import kap.policy.Subject;
import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;

/**
 * Domain patterns: {@code example.com} matches exactly that name; {@code *.example.com} matches any name below it,
 * bounded by a label, and not {@code example.com} itself. Patterns are normalised like hosts (case, trailing dot,
 * IDNA). Ambiguous wildcards such as {@code *hub.com}, {@code a.*.com}, {@code *.com} and {@code *} are rejected.
 */
public final class DomainMatcherProvider implements MatcherProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public DomainMatcherProvider() {
    }

    @Override
    public String type() {
        return "domain";
    }

    @Override
    public MatcherScope scope() {
        return MatcherScope.NETWORK;
    }

    @Override
    public int weight() {
        return 100;
    }

    @Override
    public boolean claims(String pattern) {
        return true;
    }

    @Override
    public Matcher parse(String pattern, Function<String, Matcher> others) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return new DomainMatcher(pattern, HostPort.normalizeName(pattern), false);
        }
        if (pattern.equals("*")) {
            throw new IllegalArgumentException("'*' would allow every host; list the domains the agent needs");
        }
        if (!pattern.startsWith("*.")) {
            throw new IllegalArgumentException(star == 0
                    ? "a wildcard must be a whole label: write '*." + pattern.substring(1).replaceFirst("^\\.", "")
                    + "' for subdomains, or the exact name"
                    : "a wildcard is only allowed as the first label, as in '*.example.com'");
        }
        String suffix = pattern.substring(2);
        if (suffix.indexOf('*') >= 0) {
            throw new IllegalArgumentException("only one wildcard is allowed, as the first label");
        }
        String normalized = HostPort.normalizeName(suffix);
        if (normalized.indexOf('.') < 0) {
            throw new IllegalArgumentException("'*." + normalized + "' covers a whole top-level domain; name the domain");
        }
        return new DomainMatcher(pattern, normalized, true);
    }

    private record DomainMatcher(String pattern, String name, boolean subdomains) implements Matcher {
        @Override
        public String type() {
            return "domain";
        }

        @Override
        public boolean matches(Subject subject) {
            if (!(subject instanceof HostPort target)) {
                return false;
            }
            // Normalised names cannot look like IP literals, so a literal never matches a domain rule.
            String host = target.host();
            return subdomains
                    ? host.length() > name.length() + 1 && host.endsWith(name) && host.charAt(host.length() - name.length() - 1) == '.'
                    : host.equals(name);
        }
    }
}
