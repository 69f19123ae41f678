package kap.runtime.namespace;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;
import kap.sidecar.Sidecar;
import kap.sidecar.spi.ListenerProvider;
import kap.testing.Dnsmasq;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The egress proxy's part of the battery, from inside {@code kap run}: an allowed name served by a test host on this
 * machine's loopback (reachable only because the test's policy names 127.0.0.0/8 as an unsafe range) succeeds through
 * the proxy; a denied name gets 403 from the proxy and NXDOMAIN from DNS; an IPv6 literal is refused by the proxy.
 * Every decision is in the audit log. Runs when the build has an egress listener.
 */
@Timeout(180)
class EgressTest {

    private static Dnsmasq upstream;
    private static ServerSocket testHost;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Sidecar.providers().stream().map(ListenerProvider::name).anyMatch("egress"::equals),
                "kap.egress provides no listener in this build yet");
        Path logs = Sandbox.shared().resolve("egress-logs");
        Files.createDirectories(logs);
        upstream = Dnsmasq.start(logs, "--address=/allowed.test/127.0.0.1", "--address=/denied.test/127.0.0.1");
        testHost = new ServerSocket();
        testHost.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(EgressTest::serve);
    }

    /** A minimal HTTP/1.1 server: reads a request head and answers one fixed body, then closes. */
    private static void serve() {
        while (!testHost.isClosed()) {
            try (Socket client = testHost.accept()) {
                client.setSoTimeout(5000);
                byte[] head = new byte[8192];
                int n = 0;
                while (n < head.length && !new String(head, 0, n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    int r = client.getInputStream().read(head, n, head.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                String body = "hello from the test host\n";
                client.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            } catch (java.io.IOException e) {
                // the next client
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (testHost != null) {
            testHost.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static int port() {
        return testHost.getLocalPort();
    }

    private static KapRun kap(As as, Sandbox sandbox) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        Path config = sandbox.dir().resolve("kap.toml");
        Files.writeString(config, """
                [proxy]
                dns_upstream = "127.0.0.1:%d"
                [proxy.network]
                allow = ["allowed.test:%d"]
                unsafe_allow_cidrs = ["127.0.0.0/8"]
                """.formatted(upstream.port(), port()));
        Sandbox.openUp(config);
        return new KapRun(as, sandbox).config(config);
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void anAllowedNameServedByALocalTestHostSucceedsThroughTheProxy(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        Result r = kap(as, sandbox).run("curl", "-sS", "--max-time", "10", "http://allowed.test:" + port() + "/");
        assertThat(r.stderr(), r.exit(), is(0));
        assertThat(r.stdout(), is("hello from the test host\n"));
        assertThat(Audit.recorded(sandbox, "egress", "allowed.test:" + port(), "allow"), is(true));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void aDeniedNameGets403FromTheProxyAndNxdomainFromDns(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        Result r = kap(as, sandbox).run("sh", "-c", "curl -sS --max-time 10 -o /dev/null -w 'http=%{http_code}\\n' "
                + "http://denied.test:" + port() + "/; curl -sS --max-time 10 -o /dev/null https://denied.test/ "
                + "; echo https=$?; dig +time=5 denied.test | grep -o 'status: [A-Z]*'");
        assertThat(r.stdout(), containsString("http=403"));
        assertThat(r.stdout(), not(containsString("https=0")));
        assertThat(r.stdout(), containsString("status: NXDOMAIN"));
        assertThat(Audit.recorded(sandbox, "egress", "denied.test:" + port(), "deny"), is(true));
        assertThat(Audit.recorded(sandbox, "egress", "denied.test:443", "deny"), is(true));
        assertThat(Audit.recorded(sandbox, "dns", "denied.test", "deny"), is(true));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void anIpv6LiteralThroughTheProxyIsRefused(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        // 2001:db8::/32 is the documentation range: the proxy refuses it by policy before any connection
        Result r = kap(as, sandbox).run("curl", "-sS", "-g", "--max-time", "10", "-o", "/dev/null", "-w",
                "%{http_code}", "http://[2001:db8::7]/");
        assertThat(r.stdout(), is("403"));
        assertThat(Audit.recorded(sandbox, "egress", "[2001:db8::7]", "deny"), is(true));
    }
}
