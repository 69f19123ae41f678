package kap.policy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Host normalisation happens once, and anything a resolver could read two ways is refused.
 */
class HostPortTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "GitHub.com, github.com",
            "github.com., github.com",
            "bücher.example, xn--bcher-kva.example",
            "BÜCHER.EXAMPLE., xn--bcher-kva.example",
            "例え.テスト, xn--r8jz45g.xn--zckzah",
            "a\u3002example\uff0ecom, a.example.com",
            "_dmarc.example.com, _dmarc.example.com",
            "192.0.2.1, 192.0.2.1",
            "[::1], ::1",
            "[2001:DB8:0:0:0:0:0:1], 2001:db8::1",
            "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
            "[2001:db8:0:0:1:0:0:1], 2001:db8::1:0:0:1",
            "[::ffff:127.0.0.1], ::ffff:127.0.0.1",
            "[64:ff9b::127.0.0.1], 64:ff9b::7f00:1",
    })
    void normalisesHosts(String raw, String expected) {
        assertThat(HostPort.normalizeHost(raw), is(expected));
    }

    record Bad(String host, String message) {
        @Override
        public String toString() {
            return "«" + host + "»";
        }
    }

    static Stream<Bad> refused() {
        return Stream.of(
                new Bad("127.1", "ambiguous numeric host"),
                new Bad("2130706433", "ambiguous numeric host"),
                new Bad("0x7f000001", "ambiguous numeric host"),
                new Bad("010.0.0.1", "ambiguous numeric host"),
                new Bad("1.2.3.256", "ambiguous numeric host"),
                new Bad("example.com..", "empty label"),
                new Bad(".", "empty name"),
                new Bad("", "empty host"),
                new Bad("exa mple.com", "invalid character"),
                new Bad("exa\u0000mple.com", "invalid character"),
                new Bad("example.com/path", "invalid character"),
                new Bad("user@example.com", "invalid character"),
                new Bad("x".repeat(64) + ".com", "label longer than 63"),
                new Bad(("a".repeat(60) + ".").repeat(5) + "com", "name longer than 253"),
                new Bad("[::1", "malformed bracketed IPv6"),
                new Bad("[[::1]]", "malformed bracketed IPv6"),
                new Bad("[fe80::1%eth0]", "zone identifiers are not allowed"),
                new Bad("[::g]", "invalid IPv6 literal"),
                new Bad("1:2:3:4:5:6:7:8:9", "invalid IPv6 literal"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesAmbiguousOrInvalidHosts(Bad bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostPort.normalizeHost(bad.host()));
        assertThat(e.getMessage(), containsString(bad.message()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "github.com:443, github.com, 443",
            "[::1]:22, ::1, 22",
            "10.0.0.1:65535, 10.0.0.1, 65535",
            "Example.COM.:1, example.com, 1",
    })
    void parsesAuthorities(String authority, String host, int port) {
        HostPort target = HostPort.parseAuthority(authority);
        assertThat(target.host(), is(host));
        assertThat(target.port(), is(port));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "github.com|authority has no port",
            "github.com:|invalid port",
            "github.com:0|port out of range",
            "github.com:65536|port out of range",
            "github.com:+443|invalid port",
            "github.com:0443|invalid port",
            "github.com: 443|invalid port",
            "::1:22|IPv6 literal must be in brackets",
            ":443|empty host",
            "/path:443|invalid character",
    })
    void refusesMalformedAuthorities(String authority, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostPort.parseAuthority(authority));
        assertThat(e.getMessage(), containsString(message));
    }

    @Test
    void reportsWhetherTheHostIsAnIpLiteral() {
        assertThat(HostPort.of("192.0.2.1", 443).isIpLiteral(), is(true));
        assertThat(HostPort.of("[2001:db8::1]", 443).isIpLiteral(), is(true));
        assertThat(HostPort.of("example.com", 443).isIpLiteral(), is(false));
        assertThat(HostPort.of("[2001:db8::1]", 443).authority(), is("[2001:db8::1]:443"));
    }

    @Test
    void refusesAHostThatIsNotCanonicalInTheRecordConstructor() {
        assertThrows(IllegalArgumentException.class, () -> new HostPort("GitHub.com", 443));
    }
}
