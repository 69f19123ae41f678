package kap.shim;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The small hand-written parsers of the capsule side: KAP_CLIX, the proxy variable, the bridge's target, the proxy's
 * answer and the shim's own argv.
 */
class ParsingTest {

    record Text(String input, String expected) {
        @Override
        public String toString() {
            return input;
        }
    }

    static Stream<Text> sidecarAddresses() {
        return Stream.of(new Text("172.28.0.3:3130", "172.28.0.3:3130"), new Text("[::1]:3130", "::1:3130"),
                new Text(" sidecar:40 ", "sidecar:40"), new Text("", "ERROR is not set"),
                new Text("172.28.0.3", "ERROR is not host:port"), new Text(":3130", "ERROR is not host:port"),
                new Text("h:70000", "ERROR is not host:port"), new Text("h:x", "ERROR is not host:port"));
    }

    @ParameterizedTest(name = "KAP_CLIX={0}")
    @MethodSource("sidecarAddresses")
    void parsesTheSidecarAddress(Text c) {
        if (c.expected().startsWith("ERROR")) {
            var e = assertThrows(IllegalArgumentException.class, () -> SidecarAddress.parse(c.input(), "gh"));
            assertThat(e.getMessage(), containsString(c.expected().substring(6)));
        } else {
            var a = SidecarAddress.parse(c.input(), "gh");
            assertThat(a.getHostString() + ":" + a.getPort(), is(c.expected()));
        }
    }

    static Stream<Text> proxies() {
        return Stream.of(new Text("http://127.0.0.1:3128", "127.0.0.1:3128 null"),
                new Text("http://127.0.0.1:3128/", "127.0.0.1:3128 null"),
                new Text("127.0.0.1:3128", "127.0.0.1:3128 null"),
                new Text("http://[::1]:3128", "::1:3128 null"),
                new Text("http://u:p%40ss@10.0.0.1:8080", "10.0.0.1:8080 Basic dTpwQHNz"),
                new Text("https://proxy:443", "ERROR use http://"),
                new Text("http://proxy", "ERROR is not http://host:port"),
                new Text("http://proxy:3128/path", "ERROR is not http://host:port"));
    }

    @ParameterizedTest(name = "HTTPS_PROXY={0}")
    @MethodSource("proxies")
    void parsesTheProxyVariable(Text c) {
        if (c.expected().startsWith("ERROR")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ProxyTarget.parse("HTTPS_PROXY", c.input()));
            assertThat(e.getMessage(), containsString(c.expected().substring(6)));
        } else {
            ProxyTarget p = ProxyTarget.parse("HTTPS_PROXY", c.input());
            assertThat(p.host() + ":" + p.port() + " " + p.authorization(), is(c.expected()));
        }
    }

    static Stream<Text> targets() {
        return Stream.of(new Text("github.com 22", "CONNECT github.com:22 HTTP/1.1\r\nHost: github.com:22\r\n\r\n"),
                new Text("[::1] 2222", "CONNECT [::1]:2222 HTTP/1.1\r\nHost: [::1]:2222\r\n\r\n"),
                new Text("evil.com\r\nX-Injected:1 22", "ERROR has a character"),
                new Text("host 0", "ERROR is not 1 to 65535"), new Text("host ssh", "ERROR is not 1 to 65535"));
    }

    @ParameterizedTest(name = "ConnectBridge {0}")
    @MethodSource("targets")
    void buildsOnlyWellFormedConnectRequests(Text c) {
        String[] argv = c.input().split(" ");
        if (c.expected().startsWith("ERROR")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ConnectRequest.of(argv));
            assertThat(e.getMessage(), containsString(c.expected().substring(6)));
        } else {
            assertThat(new String(ConnectRequest.of(argv).bytes(null)), is(c.expected()));
        }
    }

    static Stream<Text> answers() {
        return Stream.of(new Text("HTTP/1.1 200 Connection established", "true"),
                new Text("HTTP/1.0 200 OK", "true"), new Text("HTTP/1.1 403 Forbidden", "false"),
                new Text("HTTP/1.1 2000 odd", "false"), new Text("SSH-2.0-OpenSSH", "false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void opensTheTunnelOnlyOnStatus200(Text c) {
        assertThat(String.valueOf(ConnectAnswer.parse(c.input(), new byte[0]).established()), is(c.expected()));
    }

    static Stream<Text> invocations() {
        return Stream.of(new Text("tty= /opt/kap/bin/gh pr list", "0 gh [pr, list]"),
                new Text("tty=ioe gh", "7 gh []"), new Text("tty=o ./bin/aws s3 ls", "2 aws [s3, ls]"),
                new Text("/opt/kap/bin/gh pr", "ERROR runs from a tool shim"), new Text("tty=", "ERROR usage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invocations")
    void readsTheShimScriptsArguments(Text c) {
        String[] argv = c.input().split(" ", -1);
        if (c.expected().startsWith("ERROR")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Invocation.parse(argv));
            assertThat(e.getMessage(), containsString(c.expected().substring(6)));
        } else {
            Invocation i = Invocation.parse(argv);
            assertThat(i.flags() + " " + i.tool() + " " + i.args(), is(c.expected()));
        }
    }

}
