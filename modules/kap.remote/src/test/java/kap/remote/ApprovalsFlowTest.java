package kap.remote;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.mcp.PinStore;
import kap.policy.AddressClassifier;
import kap.policy.AuditEvent;
import kap.policy.ConfigFiles;
import kap.policy.Grant;
import kap.policy.Grants;
import kap.policy.HostPort;
import kap.policy.ListenDefaults;
import kap.policy.Reasons;
import kap.sidecar.AdminToken;
import kap.sidecar.Sidecar;
import kap.sidecar.SidecarOptions;
import kap.sidecar.spi.Resolver;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Approvals end to end between the daemon and a real sidecar (admin listener, grants file, hot reload, audit log): a
 * denial written to the sidecar's audit log reaches the phone's stream as a request, and each way of deciding it
 * changes the sidecar's policy, kap.toml or the pin store, and leaves audit events in both logs.
 */
@Timeout(60)
class ApprovalsFlowTest {

    @TempDir
    Path dir;

    private Sidecar sidecar;
    private RemoteDaemon daemon;
    private Client phone;
    private final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
    private PinStore pins;
    private HttpResponse<java.io.InputStream> stream;

    @BeforeEach
    void start() throws Exception {
        Path config = dir.resolve("kap.toml");
        Files.writeString(config, """
                # the project's policy
                [proxy]
                listen = "127.0.0.1:0"
                dns_listen = "127.0.0.1:0"
                admin_listen = "127.0.0.1:0"
                [proxy.observe]
                log = "%s"
                [proxy.network]
                allow = [
                    "github.com", # code
                ]
                deny = ["gist.github.com"]
                """.formatted(dir.resolve("audit.jsonl")));
        String token = AdminToken.generate();
        sidecar = Sidecar.start(new SidecarOptions(new ConfigFiles(Optional.of(config), List.of(),
                ListenDefaults.local(), Optional.of(dir.resolve("grants.json"))), Duration.ofMillis(100),
                Resolver.system(), AddressClassifier.create(Set::of), Optional.of(token)));
        CapsuleRef capsule = new CapsuleRef("shop", "test", "shop", dir, "running",
                Optional.of(URI.create("http://127.0.0.1:" + sidecar.adminAddress().getPort() + "/")),
                Optional.of(token), Optional.of(config), Instant.now(), Map.of());
        pins = PinStore.at(dir.resolve("auth"));
        daemon = RemoteDaemon.start(RemoteOptions.of(dir.resolve("remote"), "127.0.0.1", 0,
                CapsuleSource.of(List.of(capsule))).withPins((server, tool) -> pins.approve(server, tool)));
        phone = new Client(daemon.baseUri(), Daemons.pair(daemon, "Pixel"));
        stream = phone.open("/api/stream");
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ") && "request".equals(event)) {
                        requests.add(Api.JSON.readTree(line.substring(6)));
                    }
                }
            } catch (Exception e) {
                // closed
            }
        });
        assertThat("the daemon follows the sidecar", Eventually.within(Duration.ofSeconds(10), () -> {
            try {
                return phone.get("/api/capsules").json().path("capsules").get(0).path("events_connected").asBoolean();
            } catch (Exception e) {
                return false;
            }
        }), notNullValue());
    }

    @AfterEach
    void stop() throws Exception {
        stream.body().close();
        daemon.close();
        sidecar.close();
    }

    private JsonNode denied(String source, String subject, String reason, AuditEvent.Outcome verdict,
                            Map<String, Object> detail) throws InterruptedException {
        sidecar.audit().record(new AuditEvent(Instant.now(), source, subject, verdict, reason, Optional.empty(),
                Optional.of("172.28.0.2"), detail));
        while (true) {
            JsonNode r = requests.poll(10, TimeUnit.SECONDS);
            assertThat("request for " + subject + " arrived", r, notNullValue());
            if (r.path("subject").asText().equals(subject) && r.path("state").asText().equals("pending")) {
                return r;
            }
        }
    }

    private Client.Reply decide(JsonNode request, String body) throws Exception {
        return phone.post("/api/requests/" + request.path("id").asText(), body);
    }

    @Test
    void approvingForFiveMinutesGrantsThroughTheSidecarAtOnce() throws Exception {
        HostPort target = HostPort.of("api.stripe.com", 443);
        assertThat(sidecar.policy().current().decideHost(target).allowed(), is(false));
        JsonNode request = denied("egress", "api.stripe.com:443", Reasons.NO_RULE_MATCHED, AuditEvent.Outcome.DENY,
                Map.of("method", "CONNECT"));
        assertThat(request.path("grant_pattern").asText(), is("api.stripe.com"));
        Client.Reply r = decide(request, "{\"action\":\"minutes\",\"minutes\":5}");
        assertThat(r.body(), r.status(), is(200));
        assertThat(r.json().path("state").asText(), is("approved"));
        assertThat(sidecar.policy().current().decideHost(target).reason(), is(Reasons.ALLOWED_BY_GRANT));
        Grant grant = Grants.read(dir.resolve("grants.json")).getFirst();
        long minutes = Duration.between(Instant.now(), grant.expiresAt()).toSeconds();
        assertThat(minutes, greaterThan(280L));
        assertThat(minutes, lessThan(301L));
        assertThat(grant.by(), is("Pixel"));
        assertThat(sidecarAudit(), hasItem("approval: " + Reasons.APPROVED_FOR_A_WHILE));
        assertThat(daemonAudit(), hasItem("approval: " + Reasons.APPROVED_FOR_A_WHILE));
        assertThat("decided once", decide(request, "{\"action\":\"once\"}").status(), is(409));
    }

    @Test
    void aDnsDenialAndTheConnectionThatFollowsAreOneRequest() throws Exception {
        JsonNode dns = denied("dns", "pypi.org A", Reasons.NO_RULE_MATCHED, AuditEvent.Outcome.DENY, Map.of());
        sidecar.audit().record(new AuditEvent(Instant.now(), "egress", "pypi.org:443", AuditEvent.Outcome.DENY,
                Reasons.NO_RULE_MATCHED, Optional.empty(), Optional.empty(), Map.of()));
        JsonNode again = requests.poll(10, TimeUnit.SECONDS);
        assertThat(again.path("id").asText(), is(dns.path("id").asText()));
        assertThat(again.path("count").asInt(), is(2));
    }

    @Test
    void approvingOnceGivesAOneTimeGrant() throws Exception {
        JsonNode request = denied("egress", "pypi.org:443", Reasons.NO_RULE_MATCHED, AuditEvent.Outcome.DENY,
                Map.of());
        assertThat(decide(request, "{\"action\":\"once\"}").status(), is(200));
        HostPort target = HostPort.of("pypi.org", 443);
        assertThat(sidecar.policy().current().decideHost(target).allowed(), is(true));
        assertThat(sidecar.policy().current().decideHost(target).allowed(), is(false));
        assertThat(sidecarAudit(), hasItem("approval: " + Reasons.APPROVED_ONCE));
    }

    @Test
    void approvingPermanentlyAddsALineToKapTomlThatTheSidecarReloads() throws Exception {
        JsonNode request = denied("egress", "registry.npmjs.org:443", Reasons.NO_RULE_MATCHED,
                AuditEvent.Outcome.DENY, Map.of());
        Client.Reply r = decide(request, "{\"action\":\"permanent\"}");
        assertThat(r.body(), r.status(), is(200));
        String toml = Files.readString(dir.resolve("kap.toml"));
        assertThat(toml, containsString("\"github.com\", # code\n    \"registry.npmjs.org\",\n]"));
        assertThat(toml, containsString("# the project's policy"));
        assertThat("hot reload within a second", Eventually.within(Duration.ofSeconds(1), () -> sidecar.policy()
                .current().decideHost(HostPort.of("registry.npmjs.org", 443)).reason()
                .equals(Reasons.ALLOWED_BY_RULE)), notNullValue());
        assertThat(sidecarAudit(), hasItem("approval: " + Reasons.APPROVED_PERMANENTLY));
        assertThat(daemonAudit(), hasItem("approval: " + Reasons.APPROVED_PERMANENTLY));
    }

    @Test
    void dismissingLeavesThePolicyAloneAndIsAudited() throws Exception {
        JsonNode request = denied("egress", "evil.example:443", Reasons.NO_RULE_MATCHED, AuditEvent.Outcome.DENY,
                Map.of());
        Client.Reply r = decide(request, "{\"action\":\"dismiss\"}");
        assertThat(r.json().path("state").asText(), is("dismissed"));
        assertThat(sidecar.policy().current().decideHost(HostPort.of("evil.example", 443)).allowed(), is(false));
        assertThat(sidecarAudit(), hasItem("approval: " + Reasons.REQUEST_DISMISSED));
    }

    @Test
    void aDenyRuleCannotBeApprovedFromThePhone() throws Exception {
        JsonNode request = denied("egress", "gist.github.com:443", Reasons.DENIED_BY_RULE, AuditEvent.Outcome.DENY,
                Map.of());
        assertThat(request.path("blocked").asText(), containsString("deny rule"));
        Client.Reply r = decide(request, "{\"action\":\"minutes\",\"minutes\":5}");
        assertThat(r.status(), is(409));
        assertThat(Grants.read(dir.resolve("grants.json")).isEmpty(), is(true));
    }

    @Test
    void aChangedMcpToolIsReapprovedThroughThePinStore() throws Exception {
        pins.observe("github", Map.of("create_issue", "a".repeat(64)));
        pins.observe("github", Map.of("create_issue", "b".repeat(64)));
        assertThat("held back until a human approves", pins.changed("github", "create_issue"), is(true));
        JsonNode request = denied("mcp", "github/create_issue", Reasons.TOOL_CHANGED, AuditEvent.Outcome.ALERT,
                Map.of("method", "tools/list"));
        assertThat(request.path("kind").asText(), is("pin"));
        assertThat(decide(request, "{\"action\":\"minutes\",\"minutes\":5}").status(), is(400));
        assertThat(decide(request, "{\"action\":\"pin\"}").status(), is(200));
        assertThat(pins.changed("github", "create_issue"), is(false));
        assertThat(pins.pins("github").getFirst().sha256(), is("b".repeat(64)));
        assertThat("twice is refused by the store", decide(denied("mcp", "github/create_issue", Reasons.TOOL_CHANGED,
                AuditEvent.Outcome.ALERT, Map.of()), "{\"action\":\"pin\"}").status(), is(409));
        assertThat(sidecarAudit(), hasItem("approval: tool change approved"));
    }

    @Test
    void badDecisionsAreRefusedClearly() throws Exception {
        JsonNode request = denied("egress", "x.example:443", Reasons.NO_RULE_MATCHED, AuditEvent.Outcome.DENY,
                Map.of());
        assertThat(decide(request, "{\"action\":\"minutes\",\"minutes\":0}").status(), is(400));
        assertThat(decide(request, "{\"action\":\"minutes\",\"minutes\":100000}").status(), is(400));
        assertThat(decide(request, "{\"action\":\"explode\"}").status(), is(400));
        assertThat(phone.post("/api/requests/r-ffffffffffff", "{\"action\":\"once\"}").status(), is(404));
        assertThat(phone.post("/api/requests/..%2f..%2fetc", "{\"action\":\"once\"}").status(),
                anyOf(is(400), is(404)));
        assertThat("still pending after refusals", decide(request, "{\"action\":\"once\"}").status(), is(200));
    }

    private List<String> sidecarAudit() throws Exception {
        return lines(dir.resolve("audit.jsonl"));
    }

    private List<String> daemonAudit() throws Exception {
        return lines(dir.resolve("remote/audit.jsonl"));
    }

    private static List<String> lines(Path file) throws Exception {
        List<String> result = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            AuditEvent.parse(line).ifPresent(e -> result.add(e.source() + ": " + e.reason()));
        }
        return result;
    }
}
