package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Request-target parsing: normalisation of what is valid, refusal of what is ambiguous. */
class TargetsTest {

    static Stream<Arguments> validAuthorities() {
        return Stream.of(
                Arguments.of("example.com:443", "example.com:443"),
                Arguments.of("EXAMPLE.com.:8443", "example.com:8443"),
                Arguments.of("b\u00fccher.example:443", "xn--bcher-kva.example:443"),
                Arguments.of("192.0.2.1:22", "192.0.2.1:22"),
                Arguments.of("[2001:0db8:0:0:0:0:0:1]:443", "[2001:db8::1]:443"),
                Arguments.of("[::FFFF:127.0.0.1]:443", "[::ffff:127.0.0.1]:443"),
                Arguments.of("under_score.example:65535", "under_score.example:65535"));
    }

    @ParameterizedTest
    @MethodSource("validAuthorities")
    void authorityIsNormalised(String raw, String normalised) {
        assertThat(Targets.authority(raw).hostPort().authority(), is(normalised));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:", "example.com:0", "example.com:65536", "example.com:08",
        "example.com:1.5", "[::1]", "[::1]x:443", "[::1%eth0]:443", "::1:443", "[127.0.0.1:443",
        "127.0.0.1]:443", "1.2.3:443", "1.2.3.4.5:443", "01.2.3.4:443", "256.1.1.1:443", "0x7f.0.0.1:443",
        "a b.example:443", "example.com/x:443", "a@example.com:443", "-", ":"})
    void ambiguousAuthorityIsRefused(String raw) {
        assertThrows(EgressException.class, () -> Targets.authority(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://", "http:///path", "http://a.test:99999/", "HTTPS://a.test/", "//a.test/",
        "a.test/x", "http:/a.test/", "http://[::1/"})
    void ambiguousAbsoluteUriIsRefused(String raw) {
        assertThrows(EgressException.class, () -> Targets.absolute(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP://a.test/x", "http://a.test", "http://a.test:80/x"})
    void schemeIsCaseInsensitiveAndPortDefaults(String raw) {
        assertThat(Targets.absolute(raw).hostPort().authority(), is("a.test:80"));
    }
}
