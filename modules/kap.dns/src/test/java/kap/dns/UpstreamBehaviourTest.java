package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.dns.TestUpstream.Script;
import kap.policy.AuditEvent;
import kap.policy.Endpoint;
import kap.policy.Reasons;
import kap.testing.Dnsmasq;

/**
 * Real dig against kap.dns, which forwards to a scripted dnsjava upstream on loopback: truncation, silence, stray
 * replies, failover, negative caching, TTLs, partial rebinding and unsafe CIDRs.
 */
@Timeout(60)
class UpstreamBehaviourTest {

    private static final String TIMEOUT = "[proxy.dns]\nupstream_timeout = \"300ms\"\n";

    @TempDir
    Path dir;

    @Test
    void retriesTruncatedAnswerOverTcp() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "93.184.216.34").truncatedOverUdp());
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), "")) {
            Dig.Result r = Dig.query(kap.port(), "big.example.test", "A");
            assertThat(r.text(), r.status(), is("NOERROR"));
            assertThat(r.answers().getFirst(), containsString("93.184.216.34"));
            assertThat(up.udpQueries("big.example.test"), is(1));
            assertThat(up.tcpQueries("big.example.test"), is(1));
        }
    }

    @Test
    void truncatesAnswerTooLargeForTheClientSoItRetriesOverTcp() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60).withTxt(3000).truncatedOverUdp());
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), "")) {
            Dig.Result udpOnly = Dig.query(kap.port(), "txt.example.test", "TXT", "+ignore", "+bufsize=1232");
            assertThat(udpOnly.hasFlag("tc"), is(true));
            assertThat(udpOnly.answers(), is(empty()));
            Dig.Result r = Dig.query(kap.port(), "txt.example.test", "TXT");
            assertThat(r.text(), r.status(), is("NOERROR"));
            assertThat(r.answers(), hasSize(15));
            assertThat(up.tcpQueries("txt.example.test"), is(1));
        }
    }

    @Test
    void answersServfailWithinTwiceTheTimeoutWhenTheUpstreamIsSilent() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.silence());
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), TIMEOUT)) {
            Dig.Result r = Dig.query(kap.port(), "slow.example.test", "A", "+time=5");
            assertThat(r.status(), is("SERVFAIL"));
            assertThat(r.millis(), lessThan(1500L));
            assertThat(r.text(), containsString("No Reachable Authority"));
        }
    }

    @Test
    void answersServfailQuicklyWhenNothingListensUpstream() throws Exception {
        int closed = Dnsmasq.freePort();
        try (Fixture kap = Fixture.start(dir, List.of(Endpoint.parse("127.0.0.1:" + closed, -1)),
                List.of("*.example.test"), TIMEOUT)) {
            Dig.Result r = Dig.query(kap.port(), "down.example.test", "A", "+time=5");
            assertThat(r.status(), is("SERVFAIL"));
            assertThat(r.millis(), lessThan(1500L));
        }
    }

    @Test
    void retransmitsWhenTheOnlyUpstreamLosesADatagram() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "93.184.216.34").withFirstDatagramLost());
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), TIMEOUT)) {
            Dig.Result r = Dig.query(kap.port(), "lossy.example.test", "A", "+time=5");
            assertThat(r.status(), is("NOERROR"));
            assertThat(up.udpQueries("lossy.example.test"), is(2));
            assertThat(r.millis(), lessThan(1500L));
        }
    }

    @Test
    void failsOverToTheNextUpstream() throws Exception {
        try (TestUpstream dead = TestUpstream.start(n -> Script.silence());
             TestUpstream good = TestUpstream.start(n -> Script.answer(60, "93.184.216.34"));
             Fixture kap = Fixture.start(dir, List.of(dead.endpoint(), good.endpoint()), List.of("*.example.test"),
                     TIMEOUT)) {
            Dig.Result first = Dig.query(kap.port(), "one.example.test", "A");
            assertThat(first.status(), is("NOERROR"));
            assertThat(dead.queries("one.example.test"), is(1));
            Dig.Result second = Dig.query(kap.port(), "two.example.test", "A");
            assertThat(second.status(), is("NOERROR"));
            assertThat("a failed upstream goes to the back of the list", dead.queries("two.example.test"), is(0));
        }
    }

    @Test
    void ignoresRepliesWithWrongIdOrQuestion() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "93.184.216.34").withStrayRepliesFirst());
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), "")) {
            Dig.Result r = Dig.query(kap.port(), "stray.example.test", "A");
            assertThat(r.status(), is("NOERROR"));
            assertThat(r.answers(), hasSize(1));
            assertThat(r.answers().getFirst(), containsString("93.184.216.34"));
            assertThat(r.text(), not(containsString("6.6.6.6")));
        }
    }

    @Test
    void cachesNegativeAnswersForTheSoaMinimum() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.nxdomain(30));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), "")) {
            Dig.Result first = Dig.query(kap.port(), "gone.example.test", "A");
            Dig.Result second = Dig.query(kap.port(), "gone.example.test", "A");
            assertThat(first.status(), is("NXDOMAIN"));
            assertThat(second.status(), is("NXDOMAIN"));
            assertThat(second.authority().getFirst(), containsString("SOA"));
            assertThat(up.queries("gone.example.test"), is(1));
        }
    }

    @Test
    void countsTtlsDownAndAsksAgainWhenTheyExpire() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(2, "93.184.216.34"));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), "")) {
            assertThat(Dig.query(kap.port(), "ttl.example.test", "A").answers().getFirst(), containsString("\t2\t"));
            Thread.sleep(1100);
            Dig.Result cached = Dig.query(kap.port(), "ttl.example.test", "A");
            assertThat(cached.answers().getFirst(), containsString("\t1\t"));
            assertThat(up.queries("ttl.example.test"), is(1));
            Thread.sleep(1100);
            Dig.query(kap.port(), "ttl.example.test", "A");
            assertThat(up.queries("ttl.example.test"), is(2));
        }
    }

    @Test
    void removesOnlyThePrivateAddressesFromAMixedAnswer() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "93.184.216.34", "192.168.1.5", "fd00::5"));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("*.example.test"), "")) {
            Dig.Result r = Dig.query(kap.port(), "mixed.example.test", "A");
            assertThat(r.status(), is("NOERROR"));
            assertThat(r.answers(), hasSize(1));
            assertThat(r.answers().getFirst(), containsString("93.184.216.34"));
            List<AuditEvent> events = kap.denials("mixed.example.test A");
            assertThat(events, hasSize(1));
            assertThat(events.getFirst().reason(), is(Reasons.NON_PUBLIC_ADDRESS));
            assertThat(events.getFirst().detail().get("address"), is("192.168.1.5,fd00:0:0:0:0:0:0:5"));
        }
    }

    @Test
    void letsPrivateAnswersThroughWhenUnsafeCidrsOpenTheRange() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "10.9.8.7"));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("db.example.test"), "")) {
            assertThat(Dig.query(kap.port(), "db.example.test", "A").status(), is("SERVFAIL"));
            java.nio.file.Files.writeString(dir.resolve("kap.toml"), java.nio.file.Files.readString(
                    dir.resolve("kap.toml")).replace("allow = [", "unsafe_allow_cidrs = [\"10.0.0.0/8\"]\nallow = ["));
            kap.policy().reloadNow();
            Dig.Result r = Dig.query(kap.port(), "db.example.test", "A");
            assertThat(r.text(), r.status(), is("NOERROR"));
            assertThat(r.answers().getFirst(), containsString("10.9.8.7"));
        }
    }

    @Test
    void followsHotReloadOfTheAllowList() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "93.184.216.34"));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("a.example.test"), "")) {
            assertThat(Dig.query(kap.port(), "b.example.test", "A").status(), is("NXDOMAIN"));
            java.nio.file.Files.writeString(dir.resolve("kap.toml"), java.nio.file.Files.readString(
                    dir.resolve("kap.toml")).replace("\"a.example.test\"", "\"a.example.test\", \"b.example.test\""));
            assertThat(kap.policy().reloadNow(), is(true));
            assertThat(Dig.query(kap.port(), "b.example.test", "A").status(), is("NOERROR"));
            assertThat(kap.denials("b.example.test A").stream().map(AuditEvent::reason).toList(),
                    contains(Reasons.NO_RULE_MATCHED));
        }
    }
}
