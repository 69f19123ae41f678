package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;
import kap.testing.Dnsmasq;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bypass battery, on the real kernel: from inside {@code kap run}, a test host in a network namespace this test
 * made is unreachable over TCP, over UDP port 53 and at its IPv6 literal, with or without the proxy variables, while
 * this machine reaches it (the positive control, checked before each attempt). Nothing of these reaches the sidecar,
 * so there is nothing to audit: the kernel has no route. Unix sockets, io_uring and terminal injection are refused by
 * the command's system-call filter.
 */
@Timeout(180)
class IsolationTest {

    private static TestHost testHost;
    private static Dnsmasq upstream;
    private static Path logs;

    @BeforeAll
    static void start() throws Exception {
        logs = Sandbox.shared().resolve("isolation-logs");
        Files.createDirectories(logs);
        upstream = Dnsmasq.start(logs, "--address=/allowed.test/127.0.0.1");
        if (Sandbox.root()) {
            testHost = TestHost.start(logs);
        }
    }

    @AfterAll
    static void stop() {
        if (testHost != null) {
            testHost.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static KapRun kap(As as) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        Sandbox sandbox = Sandbox.create(as);
        Path config = sandbox.dir().resolve("kap.toml");
        Files.writeString(config, """
                [proxy]
                dns_upstream = "127.0.0.1:%d"
                [proxy.network]
                allow = ["allowed.test"]
                unsafe_allow_cidrs = ["127.0.0.0/8"]
                """.formatted(upstream.port()));
        Sandbox.openUp(config);
        return new KapRun(as, sandbox).config(config);
    }

    private static void assumeTestHost() {
        assumeTrue(testHost != null, "the test host needs root (ip netns add)");
        assertThat("positive control: this machine reaches the test host", testHost.reachableFromHere(), is(true));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void directTcpToATestHostFails(As as) throws Exception {
        assumeTestHost();
        Result r = kap(as).run("bash", "-c", "curl --noproxy '*' -sS --max-time 5 http://" + testHost.address() + ":"
                + TestHost.PORT + "/; echo curl=$?; exec 3<>/dev/tcp/" + testHost.address() + "/" + TestHost.PORT);
        assertThat(r.stdout(), not(containsString("test-host")));
        assertThat(r.stdout(), not(containsString("curl=0")));
        assertThat(r.stderr(), containsString("Network is unreachable"));
        assertThat(r.exit(), not(is(0)));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void throughTheProxyTheTestHostIsRefusedAndAudited(As as) throws Exception {
        assumeTestHost();
        KapRun kap = kap(as);
        Result r = kap.run("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                "http://" + testHost.address() + ":" + TestHost.PORT + "/");
        assertThat(r.stdout(), is("403"));
        assertThat(Audit.recorded(kap.sandbox(), "egress", testHost.address() + ":" + TestHost.PORT, "deny"),
                is(true));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void udpPort53ToAnyAddressFails(As as) throws Exception {
        assumeTestHost();
        Result r = kap(as).run("dig", "@" + testHost.address(), "+time=2", "+tries=1", "anything.test");
        assertThat(r.stdout() + r.stderr(), not(containsString("203.0.113.7")));
        assertThat(r.exit(), not(is(0)));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void anIpv6LiteralFails(As as) throws Exception {
        assumeTestHost();
        Result r = kap(as).run("curl", "-g", "--noproxy", "*", "-sS", "--max-time", "5",
                "http://[" + testHost.address6() + "]:" + TestHost.PORT + "/");
        assertThat(r.stdout(), not(containsString("test-host")));
        assertThat(r.stderr(), containsString("Couldn't connect"));
        assertThat(r.exit(), is(7));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void unsettingTheProxyVariablesReachesNothing(As as) throws Exception {
        assumeTestHost();
        Result r = kap(as).run("env", "-u", "HTTP_PROXY", "-u", "http_proxy", "-u", "HTTPS_PROXY", "-u",
                "https_proxy", "curl", "-sS", "--max-time", "5", "http://" + testHost.address() + ":" + TestHost.PORT
                        + "/");
        assertThat(r.stdout(), not(containsString("test-host")));
        assertThat(r.exit(), is(7));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void theCommandCannotOpenUnixSocketsUnlessAllowed(As as) throws Exception {
        KapRun kap = kap(as);
        Path socket = Sandbox.shared().resolve("host-" + as + "-" + System.nanoTime() + ".sock");
        Process server = Commands.background(logs.resolve(socket.getFileName() + ".log"), "socat",
                "UNIX-LISTEN:" + socket + ",mode=777,fork", "SYSTEM:echo host-service");
        try {
            Result blocked = kap.run("socat", "-", "UNIX-CONNECT:" + socket);
            assertThat(blocked.stdout(), not(containsString("host-service")));
            assertThat(blocked.stderr(), containsString("Operation not permitted"));
            Result allowed = kap.option("--unsafe-allow-unix-sockets").run("socat", "-", "UNIX-CONNECT:" + socket);
            assertThat(allowed.stderr(), allowed.stdout(), containsString("host-service"));
        } finally {
            Commands.stop(server);
        }
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void ioUringAndTerminalInjectionAreRefused(As as) throws Exception {
        // io_uring_setup(2) is 425 on every Linux machine; TIOCSTI is 0x5412
        Result r = kap(as).run("perl", "-e", "syscall(425, 8, 0) == -1 or die; print \"io_uring $!\\n\"; "
                + "my $c = \"x\"; ioctl(STDIN, 0x5412, $c) and die; print \"TIOCSTI $!\\n\";");
        assertThat(r.stderr(), r.exit(), is(0));
        assertThat(r.stdout(), containsString("io_uring Function not implemented"));
        assertThat(r.stdout(), containsString("TIOCSTI Operation not permitted"));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void onlyLoopbackExistsInside(As as) throws Exception {
        // /proc/net is the capsule's own network namespace; /sys still shows the host's sysfs
        Result r = kap(as).run("sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; "
                + "tail -n +2 /proc/net/route | wc -l");
        assertThat(r.stderr(), r.exit(), is(0));
        assertThat(List.of(r.stdout().split("\n")), is(List.of("lo", "0")));
    }
}
