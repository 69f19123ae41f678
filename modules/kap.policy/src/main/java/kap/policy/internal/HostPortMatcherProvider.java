package kap.policy.internal;

import java.util.OptionalInt;
import java.util.function.Function;

import kap.policy.HostPort;
import kap.policy.Subject;
import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;

/**
 * {@code host:port} rules: a domain pattern, IP or CIDR with one port, such as {@code github.com:22},
 * {@code *.corp.example:8443} or {@code [2001:db8::1]:5432}. A bare rule allows only ports 80 and 443; this is how
 * other ports are opened.
 */
public final class HostPortMatcherProvider implements MatcherProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public HostPortMatcherProvider() {
    }

    @Override
    public String type() {
        return "host-port";
    }

    @Override
    public MatcherScope scope() {
        return MatcherScope.NETWORK;
    }

    @Override
    public int weight() {
        return 10;
    }

    @Override
    public boolean claims(String pattern) {
        int colon = pattern.lastIndexOf(':');
        if (colon <= 0 || colon == pattern.length() - 1) {
            return false;
        }
        String host = pattern.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            return false;
        }
        return pattern.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public Matcher parse(String pattern, Function<String, Matcher> others) {
        int colon = pattern.lastIndexOf(':');
        int port = HostPort.parsePort(pattern.substring(colon + 1));
        Matcher host = others.apply(pattern.substring(0, colon));
        if (host.port().isPresent()) {
            throw new IllegalArgumentException("more than one port in '" + pattern + "'");
        }
        return new HostPortMatcher(pattern, host, port);
    }

    private record HostPortMatcher(String pattern, Matcher host, int portNumber) implements Matcher {
        @Override
        public String type() {
            return "host-port";
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof HostPort target && target.port() == portNumber && host.matches(subject);
        }

        @Override
        public OptionalInt port() {
            return OptionalInt.of(portNumber);
        }
    }
}
