package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;
import kap.policy.Endpoint;
import kap.policy.Reasons;
import kap.testing.Dnsmasq;

/**
 * Real dig against kap.dns, which forwards to a real dnsmasq: what is allowed is answered, what is not never reaches
 * dnsmasq, and every refusal is in the audit log.
 */
@Timeout(60)
class DigPolicyTest {

    @TempDir
    static Path dir;
    static Dnsmasq dnsmasq;
    static Fixture kap;

    @BeforeAll
    static void start() throws Exception {
        dnsmasq = Dnsmasq.start(dir, "--address=/allowed.test/93.184.216.34", "--address=/denied.test/93.184.216.35",
                "--address=/rebind.test/10.1.2.3", "--address=/loop.test/127.0.0.1", "--address=/zone.test/1.1.1.1",
                "--address=/corp.example/93.184.216.36", "--ptr-record=4.3.2.10.in-addr.arpa,secret.corp",
                "--address=/long.test/1.1.1.2");
        Endpoint upstream = new Endpoint(InetAddress.getLoopbackAddress(), dnsmasq.port());
        kap = Fixture.start(dir, List.of(upstream), List.of("allowed.test", "*.zone.test", "rebind.test", "loop.test",
                "*.in-addr.arpa", "*.long.test"), "[proxy.dns]\nmax_label_length = 20\n");
    }

    @AfterAll
    static void stop() throws Exception {
        kap.close();
        dnsmasq.close();
    }

    @Test
    void answersAllowedName() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "allowed.test", "A");
        assertThat(r.text(), r.status(), is("NOERROR"));
        assertThat(r.answers(), hasSize(1));
        assertThat(r.answers().getFirst(), containsString("93.184.216.34"));
        assertThat(r.hasFlag("qr") && r.hasFlag("ra") && r.hasFlag("rd"), is(true));
    }

    @Test
    void answersAllowedNameInAnyLetterCaseWithTheClientsCase() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "AlLoWeD.TeSt", "A");
        assertThat(r.status(), is("NOERROR"));
        assertThat(r.text(), containsString("AlLoWeD.TeSt."));
        assertThat(r.answers().getFirst(), containsString("93.184.216.34"));
    }

    @Test
    void deniesNameWithNxdomainWithoutAskingUpstream() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "denied.test", "A");
        assertThat(r.status(), is("NXDOMAIN"));
        assertThat(r.answers(), is(empty()));
        assertThat(r.text(), containsString("Blocked"));
        assertThat(dnsmasq.queries("denied.test"), is(0L));
        List<AuditEvent> events = kap.denials("denied.test A");
        assertThat(events, hasSize(1));
        assertThat(events.getFirst().reason(), is(Reasons.NO_RULE_MATCHED));
        assertThat(events.getFirst().client(), is(Optional.of("127.0.0.1")));
        assertThat(events.getFirst().detail().get("rcode"), is("NXDOMAIN"));
    }

    @Test
    void answersFromCacheWithoutAskingUpstreamAgain() throws Exception {
        Dig.Result first = Dig.query(kap.port(), "www.zone.test", "A");
        Dig.Result second = Dig.query(kap.port(), "www.zone.test", "A");
        assertThat(first.status(), is("NOERROR"));
        assertThat(second.status(), is("NOERROR"));
        assertThat(second.answers().getFirst(), containsString("1.1.1.1"));
        assertThat(dnsmasq.queries("www.zone.test"), is(1L));
    }

    @Test
    void answersOverTcp() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "tcp.zone.test", "A", "+tcp");
        assertThat(r.text(), r.status(), is("NOERROR"));
        assertThat(r.answers().getFirst(), containsString("1.1.1.1"));
        assertThat(r.text(), containsString("(TCP)"));
    }

    @Test
    void dropsRebindingAnswerIntoPrivateRange() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "rebind.test", "A");
        assertThat(r.status(), is("SERVFAIL"));
        assertThat(r.answers(), is(empty()));
        assertThat(r.text(), not(containsString("10.1.2.3")));
        List<AuditEvent> events = kap.denials("rebind.test A");
        assertThat(events, hasSize(1));
        assertThat(events.getFirst().reason(), is(Reasons.NON_PUBLIC_ADDRESS));
        assertThat(events.getFirst().detail().get("address"), is("10.1.2.3"));
    }

    @Test
    void dropsRebindingAnswerIntoLoopback() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "loop.test", "A");
        assertThat(r.status(), is("SERVFAIL"));
        assertThat(kap.denials("loop.test A").getFirst().detail().get("address"), is("127.0.0.1"));
    }

    @Test
    void refusesAnyQueries() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "allowed.test", "ANY");
        assertThat(r.status(), is("REFUSED"));
        assertThat(kap.denials("allowed.test ANY").getFirst().reason(), is(Reasons.QUERY_TYPE_REFUSED));
    }

    @Test
    void refusesZoneTransfers() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "zone.test", "AXFR", "+tcp");
        assertThat(r.text(), containsString("Transfer failed"));
        assertThat(kap.denials("zone.test AXFR").getFirst().reason(), is(Reasons.QUERY_TYPE_REFUSED));
        assertThat(dnsmasq.queries("zone.test"), is(0L));
    }

    @Test
    void refusesReverseLookupOfPrivateAddressEvenWhenPolicyAllowsTheZone() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "4.3.2.10.in-addr.arpa", "PTR");
        assertThat(r.status(), is("REFUSED"));
        assertThat(r.text(), not(containsString("secret.corp")));
        assertThat(dnsmasq.queries("4.3.2.10.in-addr.arpa"), is(0L));
        assertThat(kap.denials("4.3.2.10.in-addr.arpa PTR").getFirst().reason(),
                is(Reasons.NON_PUBLIC_REVERSE_LOOKUP));
    }

    @Test
    void refusesSingleLabelNames() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "intranet", "A");
        assertThat(r.status(), is("NXDOMAIN"));
        assertThat(kap.denials("intranet A").getFirst().reason(), is(Reasons.SINGLE_LABEL_NAME));
    }

    @Test
    void refusesSpecialUseNames() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "printer.local", "A");
        assertThat(r.status(), is("NXDOMAIN"));
        assertThat(kap.denials("printer.local A").getFirst().reason(), is(Reasons.SPECIAL_USE_NAME));
    }

    @Test
    void answersSearchDomainExpansionWithNxdomainAndNeverForwardsIt() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "github.com.corp.example", "A");
        assertThat(r.status(), is("NXDOMAIN"));
        assertThat(dnsmasq.queries("github.com.corp.example"), is(0L));
        AuditEvent event = kap.denials("github.com.corp.example A").getFirst();
        assertThat(event.reason(), is(Reasons.NO_RULE_MATCHED));
        assertThat(event.detail().get("search_domain"), is("corp.example"));
    }

    @Test
    void refusesLabelsLongerThanTheConfiguredLimit() throws Exception {
        String label = "a".repeat(21);
        Dig.Result r = Dig.query(kap.port(), label + ".long.test", "A");
        assertThat(r.status(), is("REFUSED"));
        assertThat(dnsmasq.queries(label + ".long.test"), is(0L));
        assertThat(kap.denials(label + ".long.test A").getFirst().reason(), is(Reasons.NAME_TOO_LONG));
        assertThat(Dig.query(kap.port(), "a".repeat(20) + ".long.test", "A").status(), is("NOERROR"));
    }

    @Test
    void refusesNamesThatDoNotNormalise() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "bad\\032name.allowed.test", "A");
        assertThat(r.status(), is("REFUSED"));
        List<AuditEvent> events = kap.dnsEvents(e -> e.reason().equals(Reasons.INVALID_HOST));
        assertThat(events.stream().map(AuditEvent::subject).toList(), hasItem(containsString("name.allowed.test A")));
    }

    @Test
    void reportsItsCountersInStatus() throws Exception {
        Dig.query(kap.port(), "status.zone.test", "A");
        assertThat(kap.forwarder().status().get("queries"), not(equalTo(0L)));
        assertThat(kap.forwarder().addresses(), contains(kap.forwarder().udpAddress(), kap.forwarder().tcpAddress()));
        assertThat(kap.forwarder().tcpAddress().getPort(), is(kap.port()));
    }
}
