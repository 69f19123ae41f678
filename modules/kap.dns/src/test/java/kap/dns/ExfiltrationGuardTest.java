package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

import kap.dns.TestUpstream.Script;
import kap.policy.AuditEvent;
import kap.policy.Endpoint;
import kap.policy.Reasons;
import kap.testing.Dnsmasq;

/**
 * The exfiltration guard with real dig and a real dnsmasq upstream: a zone's unique-name budget, the per-client rate,
 * and the configured answer to denied names.
 */
@Timeout(120)
class ExfiltrationGuardTest {

    @TempDir
    Path dir;

    @Test
    void refusesUniqueNamesOverTheZoneBudgetAndAlertsOnce() throws Exception {
        try (Dnsmasq dnsmasq = Dnsmasq.start(dir, "--address=/zone.test/93.184.216.34",
                "--address=/other.test/93.184.216.35");
             Fixture kap = Fixture.start(dir, List.of(new Endpoint(InetAddress.getLoopbackAddress(), dnsmasq.port())),
                     List.of("*.zone.test", "*.other.test"), "[proxy.dns]\nzone_budget = 100\nclient_rate = 100000\n")) {
            SecureRandom random = new SecureRandom();
            List<String> names = new ArrayList<>();
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                String name = HexFormat.of().formatHex(random.generateSeed(12)) + ".zone.test";
                names.add(name);
                batch.append(name).append(" A\n");
            }
            Path file = dir.resolve("batch.txt");
            Files.writeString(file, batch);

            List<Dig.Result> results = Dig.batch(kap.port(), file);

            assertThat(results, hasSize(500));
            assertThat(results.subList(0, 100).stream().map(Dig.Result::status).toList(), everyItem(is("NOERROR")));
            assertThat(results.subList(100, 500).stream().map(Dig.Result::status).toList(), everyItem(is("REFUSED")));
            assertThat("only the budget reached the upstream", dnsmasq.queriesUnder("zone.test"), is(100L));
            List<AuditEvent> denials = kap.dnsEvents(e -> e.verdict() == AuditEvent.Outcome.DENY
                    && e.reason().equals(Reasons.ZONE_BUDGET_EXCEEDED));
            assertThat(denials, hasSize(400));
            assertThat(denials.getFirst().rule().orElseThrow(), is("*.zone.test"));
            List<AuditEvent> alerts = kap.dnsEvents(e -> e.verdict() == AuditEvent.Outcome.ALERT);
            assertThat(alerts, hasSize(1));
            assertThat(alerts.getFirst().reason(), is(Reasons.ZONE_BUDGET_EXCEEDED));
            assertThat(alerts.getFirst().subject(), is("*.zone.test"));

            assertThat("names within budget still resolve", Dig.query(kap.port(), names.get(5), "A").status(),
                    is("NOERROR"));
            assertThat("other zones have their own budget", Dig.query(kap.port(), "www.other.test", "A").status(),
                    is("NOERROR"));
        }
    }

    @Test
    void refusesAClientOverItsRateAndAuditsOncePerSecond() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(300, "93.184.216.34"));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("fast.example.test"),
                     "[proxy.dns]\nclient_rate = 5\n")) {
            int refused = 0;
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(2000);
                byte[] query = RawClient.query(1, "fast.example.test");
                for (int i = 0; i < 30; i++) {
                    socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), kap.port()));
                }
                byte[] buffer = new byte[1500];
                for (int i = 0; i < 30; i++) {
                    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                    socket.receive(reply);
                    refused += RawClient.rcode(buffer) == Rcode.REFUSED ? 1 : 0;
                }
            }
            assertThat(refused, greaterThanOrEqualTo(20));
            List<AuditEvent> events = kap.dnsEvents(e -> e.reason().equals(Reasons.CLIENT_RATE_EXCEEDED));
            assertThat(events.size(), greaterThan(0));
            assertThat(events.size(), lessThanOrEqualTo(2));
            assertThat("only queries within the rate go upstream", up.queries("fast.example.test"),
                    lessThanOrEqualTo(5));
        }
    }

    @Test
    void answersRefusedToDeniedNamesWhenConfigured() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(300, "93.184.216.34"));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("ok.example.test"),
                     "[proxy.dns]\ndenied_answer = \"refused\"\n")) {
            assertThat(Dig.query(kap.port(), "nope.example.test", "A").status(), is("REFUSED"));
            assertThat(kap.denials("nope.example.test A").getFirst().detail().get("rcode"), is("REFUSED"));
            assertThat(up.queries("nope.example.test"), is(0));
        }
    }

    @Test
    void auditsAllowedQueriesWhenConfigured() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(300, "93.184.216.34"));
             Fixture kap = Fixture.start(dir, List.of(up.endpoint()), List.of("ok.example.test"),
                     "[proxy.dns]\nlog_allowed = true\n")) {
            Dig.query(kap.port(), "ok.example.test", "A");
            Dig.query(kap.port(), "ok.example.test", "A");
            List<AuditEvent> allowed = kap.dnsEvents(e -> e.verdict() == AuditEvent.Outcome.ALLOW);
            assertThat(allowed, hasSize(2));
            assertThat(allowed.get(0).detail().get("cached"), is(false));
            assertThat(allowed.get(1).detail().get("cached"), is(true));
            assertThat(allowed.get(0).rule().orElseThrow(), is("ok.example.test"));
        }
    }
}
