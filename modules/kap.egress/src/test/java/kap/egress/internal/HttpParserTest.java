package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The strict head parser, table-driven: what it accepts, and the precise reason for what it refuses. */
class HttpParserTest {

    private static RequestHead parse(String head) {
        return HttpParser.parseRequest(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Nested
    class Accepted {

        @Test
        void connectWithNameAndPort() {
            RequestHead head = parse("CONNECT GitHub.com.:443 HTTP/1.1\r\nHost: github.com:443\r\n\r\n");
            assertThat(head.isConnect(), is(true));
            assertThat(head.target().hostPort().authority(), is("github.com:443"));
        }

        @Test
        void connectWithBracketedIpv6() {
            assertThat(parse("CONNECT [2001:DB8::1]:22 HTTP/1.1\r\n\r\n").target().hostPort().authority(),
                    is("[2001:db8::1]:22"));
        }

        @Test
        void absoluteFormWithDefaultPortPathAndQuery() {
            RequestHead head = parse("GET http://Example.com/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n");
            RequestHead.AbsoluteTarget target = (RequestHead.AbsoluteTarget) head.target();
            assertThat(target.hostPort().authority(), is("example.com:80"));
            assertThat(target.pathAndQuery(), is("/a/b?c=d"));
            assertThat(target.hostHeader(), is("example.com"));
        }

        @Test
        void absoluteFormWithoutPathGetsSlash() {
            RequestHead.AbsoluteTarget target = (RequestHead.AbsoluteTarget) parse(
                    "GET http://example.com:8080?x HTTP/1.0\r\n\r\n").target();
            assertThat(target.pathAndQuery(), is("/?x"));
            assertThat(target.hostHeader(), is("example.com:8080"));
        }

        @Test
        void headerValuesLoseSurroundingWhitespaceAndKeepOrderAndCase() {
            Headers h = parse("GET http://a.test/ HTTP/1.1\r\nX-One:  v1 \t\r\nx-two:v2\r\nX-One: v3\r\n\r\n")
                    .headers();
            assertThat(h.fields().get(0), is(new Headers.Field("X-One", "v1")));
            assertThat(h.fields().get(1), is(new Headers.Field("x-two", "v2")));
            assertThat(h.count("x-one"), is(2));
        }

        @Test
        void obsTextInValueIsKept() {
            assertThat(parse("GET http://a.test/ HTTP/1.1\r\nX-A: caf\u00e9\r\n\r\n").headers().first("x-a"),
                    is(Optional.of("caf\u00e9")));
        }

        @Test
        void responseWithoutReasonPhrase() {
            ResponseHead r = HttpParser.parseResponse("HTTP/1.1 204\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.status(), is(204));
            assertThat(r.reasonPhrase(), is(""));
        }
    }

    record Bad(String name, String head, EgressException.Kind kind, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> refused() {
        EgressException.Kind bad = EgressException.Kind.MALFORMED;
        return Stream.of(
                new Bad("no terminator", "GET http://a.test/ HTTP/1.1\r\n", bad, "empty line"),
                new Bad("empty start line", "\r\n\r\n", bad, "empty start line"),
                new Bad("missing version", "GET http://a.test/\r\n\r\n", bad, "request line"),
                new Bad("tab separator", "GET\thttp://a.test/ HTTP/1.1\r\n\r\n", bad, "request line"),
                new Bad("trailing space", "GET http://a.test/ HTTP/1.1 \r\n\r\n", bad, "request line"),
                new Bad("lower-case version", "GET http://a.test/ http/1.1\r\n\r\n", bad, "invalid HTTP version"),
                new Bad("HTTP/0.9", "GET http://a.test/ HTTP/0.9\r\n\r\n", EgressException.Kind.VERSION, "1.1"),
                new Bad("method with slash", "G/ET http://a.test/ HTTP/1.1\r\n\r\n", bad, "invalid method"),
                new Bad("long method", "A".repeat(33) + " http://a.test/ HTTP/1.1\r\n\r\n", bad, "invalid method"),
                new Bad("origin form", "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n", bad, "absolute URI"),
                new Bad("asterisk form", "OPTIONS * HTTP/1.1\r\n\r\n", bad, "absolute URI"),
                new Bad("ftp scheme", "GET ftp://a.test/ HTTP/1.1\r\n\r\n", bad, "absolute http://"),
                new Bad("fragment", "GET http://a.test/#frag HTTP/1.1\r\n\r\n", bad, "fragment"),
                new Bad("empty port", "GET http://a.test:/ HTTP/1.1\r\n\r\n", bad, "invalid port"),
                new Bad("non-ASCII target", "GET http://a.test/\u00e9 HTTP/1.1\r\n\r\n", bad, "printable ASCII"),
                new Bad("space in name", "GET http://a.test/ HTTP/1.1\r\nX A: b\r\n\r\n", bad, "field name"),
                new Bad("empty name", "GET http://a.test/ HTTP/1.1\r\n: b\r\n\r\n", bad, "field name"),
                new Bad("no colon", "GET http://a.test/ HTTP/1.1\r\nX-A\r\n\r\n", bad, "colon"),
                new Bad("obs-fold tab", "GET http://a.test/ HTTP/1.1\r\nX-A: b\r\n\tc\r\n\r\n", bad, "obs-fold"),
                new Bad("DEL", "GET http://a.test/ HTTP/1.1\r\nX-A: b\u007f\r\n\r\n", bad, "control character"),
                new Bad("vertical tab", "GET http://a.test/ HTTP/1.1\r\nX-A: b\u000bc\r\n\r\n", bad,
                        "control character"),
                new Bad("bare CR at end of value", "GET http://a.test/ HTTP/1.1\r\nX-A: b\r\r\n\r\n", bad, "bare CR"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWithPreciseReason(Bad c) {
        EgressException e = assertThrows(EgressException.class, () -> parse(c.head()));
        assertThat(e.kind(), is(c.kind()));
        assertThat(e.safeMessage(), containsString(c.message()));
    }

    static Stream<String> badStatusLines() {
        return Stream.of("HTTP/1.1 20\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 099 x\r\n\r\n",
                "HTTP/1.1 600 x\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n", "ICY 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("badStatusLines")
    void refusesBadStatusLines(String head) {
        assertThrows(EgressException.class,
                () -> HttpParser.parseResponse(head.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void tokenRulesFollowRfc9110() {
        assertThat(HttpParser.isToken("X-Custom_1!#$%&'*+.^`|~"), is(true));
        assertThat(HttpParser.isToken("a b"), is(false));
        assertThat(HttpParser.isToken("a:b"), is(false));
        assertThat(HttpParser.isToken(""), is(false));
    }
}
