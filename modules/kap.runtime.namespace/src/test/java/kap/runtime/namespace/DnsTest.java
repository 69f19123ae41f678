package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * DNS inside the capsule: {@code resolv.conf} says 127.0.0.1, where the bridge carries UDP and TCP to the sidecar's
 * DNS forwarder, whose upstream is a dnsmasq this test started. A denied name is NXDOMAIN, audited, and never reaches
 * the upstream; an allowed one resolves; an answer too big for UDP comes back truncated and complete over TCP.
 */
@Timeout(180)
class DnsTest {

    /** Eight TXT records of 200 bytes: far over 512 bytes. */
    private static final int BIG_RECORDS = 8;

    private static Dnsmasq upstream;

    @BeforeAll
    static void start() throws Exception {
        Path logs = Sandbox.shared().resolve("dns-logs");
        Files.createDirectories(logs);
        List<String> records = new ArrayList<>(List.of("--address=/allowed.test/127.0.0.1",
                "--address=/denied.test/127.0.0.1"));
        for (int i = 0; i < BIG_RECORDS; i++) {
            records.add("--txt-record=big.test,record-" + i + "-" + "x".repeat(190));
        }
        upstream = Dnsmasq.start(logs, records.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }

    private static KapRun kap(As as, Sandbox sandbox) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        Path config = sandbox.dir().resolve("kap.toml");
        Files.writeString(config, """
                [proxy]
                dns_upstream = "127.0.0.1:%d"
                [proxy.network]
                allow = ["allowed.test", "big.test"]
                unsafe_allow_cidrs = ["127.0.0.0/8"]
                """.formatted(upstream.port()));
        Sandbox.openUp(config);
        return new KapRun(as, sandbox).config(config);
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void resolvConfPointsAtTheCapsulesOwnLoopback(As as) throws Exception {
        Result r = kap(as, Sandbox.create(as)).run("cat", "/etc/resolv.conf");
        assertThat(r.stdout(), is("nameserver 127.0.0.1\n"));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void anAllowedNameResolvesOverUdpAndTcpThroughTheSidecar(As as) throws Exception {
        Result r = kap(as, Sandbox.create(as)).run("sh", "-c",
                "dig +short +time=5 allowed.test; dig +short +tcp +time=5 allowed.test; getent hosts allowed.test");
        assertThat(r.stderr(), r.exit(), is(0));
        assertThat(r.stdout(), is("127.0.0.1\n127.0.0.1\n127.0.0.1       allowed.test\n"));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void aDeniedNameIsNxdomainAuditedAndNeverReachesTheUpstream(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        long before = upstream.queries("denied.test");
        Result r = kap(as, sandbox).run("dig", "+time=5", "denied.test");
        assertThat(r.stdout(), containsString("status: NXDOMAIN"));
        assertThat(Audit.recorded(sandbox, "dns", "denied.test", "deny"), is(true));
        assertThat(upstream.queries("denied.test"), is(before));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void anAnswerTooBigForUdpIsTruncatedThereAndWholeOverTcp(As as) throws Exception {
        Result r = kap(as, Sandbox.create(as)).run("sh", "-c",
                "dig +notcp +ignore +noedns +time=5 big.test TXT; echo ===; dig +noedns +time=5 big.test TXT");
        assertThat(r.stderr(), r.exit(), is(0));
        String[] parts = r.stdout().split("===");
        assertThat(parts[0], containsString(" tc"));
        assertThat(parts[0], not(containsString("record-0-")));
        assertThat(parts[1], containsString("Truncated, retrying in TCP mode"));
        for (int i = 0; i < BIG_RECORDS; i++) {
            assertThat(parts[1], containsString("record-" + i + "-"));
        }
    }
}
