package kap.policy.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Function;

import kap.policy.AddressClassifier;
import kap.policy.Cidr;
import kap.policy.HostPort;
import kap.policy.Subject;
import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;

/**
 * IP and CIDR literals, IPv4 and IPv6: {@code 192.0.2.7}, {@code 10.0.0.0/8}, {@code 2001:db8::/32},
 * {@code [2001:db8::1]}. They match IP-literal targets only, never names. An IPv6 form that embeds an IPv4 address
 * (such as {@code ::ffff:10.0.0.1}) matches an IPv4 rule for that address.
 */
public final class CidrMatcherProvider implements MatcherProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public CidrMatcherProvider() {
    }

    @Override
    public String type() {
        return "cidr";
    }

    @Override
    public MatcherScope scope() {
        return MatcherScope.NETWORK;
    }

    @Override
    public int weight() {
        return 20;
    }

    @Override
    public boolean claims(String pattern) {
        boolean allDigitsDotsSlash = true;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!(hex || c == ':' || c == '.' || c == '/' || c == '[' || c == ']')) {
                return false;
            }
            if (!((c >= '0' && c <= '9') || c == '.' || c == '/')) {
                allDigitsDotsSlash = false;
            }
        }
        return pattern.indexOf(':') >= 0 || allDigitsDotsSlash;
    }

    @Override
    public Matcher parse(String pattern, Function<String, Matcher> others) {
        return new CidrMatcher(pattern, Cidr.parse(pattern));
    }

    private record CidrMatcher(String pattern, Cidr cidr) implements Matcher {
        @Override
        public String type() {
            return "cidr";
        }

        @Override
        public boolean matches(Subject subject) {
            if (!(subject instanceof HostPort target)) {
                return false;
            }
            Optional<InetAddress> address = target.literalAddress();
            if (address.isEmpty()) {
                return false;
            }
            InetAddress a = address.get();
            if (cidr.contains(a)) {
                return true;
            }
            return a instanceof Inet6Address v6 && AddressClassifier.embeddedIpv4(v6).map(cidr::contains).orElse(false);
        }
    }
}
