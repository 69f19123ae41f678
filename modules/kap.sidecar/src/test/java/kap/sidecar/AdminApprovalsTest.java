package kap.sidecar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AddressClassifier;
import kap.policy.AuditEvent;
import kap.policy.ConfigFiles;
import kap.policy.Grants;
import kap.policy.HostPort;
import kap.policy.ListenDefaults;
import kap.policy.Reasons;
import kap.sidecar.spi.Resolver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The admin endpoints the remote daemon uses: the audit event stream and grants, behind the admin token.
 */
@Timeout(30)
class AdminApprovalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = AdminToken.generate();

    @TempDir
    Path dir;

    private Sidecar start(Optional<String> token) throws IOException {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, """
                [proxy]
                listen = "127.0.0.1:0"
                dns_listen = "127.0.0.1:0"
                admin_listen = "127.0.0.1:0"
                [proxy.observe]
                log = "%s"
                [proxy.network]
                allow = ["github.com"]
                deny = ["gist.github.com"]
                """.formatted(dir.resolve("audit.jsonl")));
        SidecarOptions options = new SidecarOptions(new ConfigFiles(Optional.of(file), List.of(),
                ListenDefaults.local(), Optional.of(dir.resolve("grants.json"))), Duration.ofMillis(100),
                Resolver.system(), AddressClassifier.create(Set::of), token);
        return Sidecar.start(options);
    }

    private static HttpURLConnection open(Sidecar s, String method, String path, String token) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + s.adminAddress().getPort() + path)
                .toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        return c;
    }

    private static Reply call(Sidecar s, String method, String path, String body, String token) throws IOException {
        HttpURLConnection c = open(s, method, path, token);
        if (body != null) {
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the server may refuse a large body before reading it all
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    record Reply(int statusCode, String body) {
    }

    @Test
    void eventsAndGrantsNeedTheAdminToken() throws Exception {
        try (Sidecar s = start(Optional.of(TOKEN))) {
            assertThat(call(s, "GET", "/events", null, null).statusCode(), is(401));
            assertThat(call(s, "GET", "/grants", null, "x".repeat(43)).statusCode(), is(401));
            assertThat(call(s, "POST", "/grants", "{}", null).statusCode(), is(401));
            assertThat(call(s, "POST", "/approvals", "{}", null).statusCode(), is(401));
            assertThat("health stays open", call(s, "GET", "/health", null, null).statusCode(), is(200));
        }
    }

    @Test
    void withoutATokenEventsAndGrantsAreRefused() throws Exception {
        try (Sidecar s = start(Optional.empty())) {
            Reply r = call(s, "GET", "/grants", null, TOKEN);
            assertThat(r.statusCode(), is(403));
            assertThat(r.body(), containsString("no admin token"));
        }
    }

    @Test
    void aGrantIsWrittenAppliedAtOnceAuditedAndRevocable() throws Exception {
        try (Sidecar s = start(Optional.of(TOKEN))) {
            assertThat(s.policy().current().decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
            Reply r = call(s, "POST", "/grants", """
                    {"scope":"network","pattern":"example.com","ttl_seconds":300,"by":"pixel","subject":"example.com:443"}
                    """, TOKEN);
            assertThat(r.body(), r.statusCode(), is(201));
            String id = JSON.readTree(r.body()).path("grant").path("id").asText();
            assertThat("applied before the reply", s.policy().current().decideHost(HostPort.of("example.com", 443))
                    .reason(), is(Reasons.ALLOWED_BY_GRANT));
            assertThat(Grants.read(dir.resolve("grants.json")).getFirst().id(), is(id));
            JsonNode list = JSON.readTree(call(s, "GET", "/grants", null, TOKEN).body());
            assertThat(list.path("grants").get(0).path("pattern").asText(), is("example.com"));
            List<AuditEvent> events = audit();
            assertThat(events.stream().filter(e -> e.source().equals("approval")).map(AuditEvent::reason).toList(),
                    hasItem(Reasons.APPROVED_FOR_A_WHILE));
            assertThat(call(s, "DELETE", "/grants/" + id, null, TOKEN).statusCode(), is(200));
            assertThat(s.policy().current().decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
            assertThat(call(s, "DELETE", "/grants/" + id, null, TOKEN).statusCode(), is(404));
            assertThat(audit().stream().map(AuditEvent::reason).toList(), hasItem(Reasons.GRANT_REVOKED));
        }
    }

    @Test
    void badGrantsAreRefusedWithAClearMessageAndNothingIsWritten() throws Exception {
        try (Sidecar s = start(Optional.of(TOKEN))) {
            for (String body : List.of("{\"scope\":\"network\",\"pattern\":\"*hub.com\",\"ttl_seconds\":60}",
                    "{\"scope\":\"teleport\",\"pattern\":\"a.com\",\"ttl_seconds\":60}",
                    "{\"scope\":\"network\",\"pattern\":\"a.com\",\"ttl_seconds\":0}",
                    "{\"scope\":\"network\",\"pattern\":\"a.com\",\"ttl_seconds\":99999999}",
                    "{\"scope\":\"mcp\",\"pattern\":\"no-slash\",\"ttl_seconds\":60}",
                    "[1,2]", "not json", "{\"scope\":\"network\",\"pattern\":7,\"ttl_seconds\":60}")) {
                Reply r = call(s, "POST", "/grants", body, TOKEN);
                assertThat(body, r.statusCode(), is(400));
                assertThat(body, JSON.readTree(r.body()).path("error").asText().isBlank(), is(false));
            }
            assertThat(call(s, "POST", "/grants", "{\"pattern\":\"" + "a".repeat(20_000) + "\"}", TOKEN)
                    .statusCode(), is(413));
            assertThat(Grants.read(dir.resolve("grants.json")), is(empty()));
        }
    }

    @Test
    void aGrantSurvivesASidecarRestartUntilItExpires() throws Exception {
        try (Sidecar s = start(Optional.of(TOKEN))) {
            assertThat(call(s, "POST", "/grants", "{\"scope\":\"network\",\"pattern\":\"example.com\","
                    + "\"ttl_seconds\":300}", TOKEN).statusCode(), is(201));
        }
        try (Sidecar s = start(Optional.of(TOKEN))) {
            assertThat(s.policy().current().decideHost(HostPort.of("example.com", 443)).reason(),
                    is(Reasons.ALLOWED_BY_GRANT));
        }
    }

    @Test
    void aTimedGrantExpiresByItself() throws Exception {
        try (Sidecar s = start(Optional.of(TOKEN))) {
            assertThat(call(s, "POST", "/grants", "{\"scope\":\"network\",\"pattern\":\"example.com\","
                    + "\"ttl_seconds\":1}", TOKEN).statusCode(), is(201));
            assertThat(s.policy().current().decideHost(HostPort.of("example.com", 443)).allowed(), is(true));
            Thread.sleep(1100);
            assertThat(s.policy().current().decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
            assertThat(JSON.readTree(call(s, "GET", "/grants", null, TOKEN).body()).path("grants").size(), is(0));
        }
    }

    @Test
    void approvalDecisionsAreRecordedWithSourceApproval() throws Exception {
        try (Sidecar s = start(Optional.of(TOKEN))) {
            Reply r = call(s, "POST", "/approvals", """
                    {"action":"permanent","subject":"example.com:443","scope":"network","by":"pixel","file":"/p/kap.toml"}
                    """, TOKEN);
            assertThat(r.body(), r.statusCode(), is(201));
            assertThat(call(s, "POST", "/approvals", "{\"action\":\"explode\",\"subject\":\"x\"}", TOKEN)
                    .statusCode(), is(400));
            AuditEvent e = audit().stream().filter(a -> a.source().equals("approval")).findFirst().orElseThrow();
            assertThat(e.reason(), is(Reasons.APPROVED_PERMANENTLY));
            assertThat(e.client(), is(Optional.of("pixel")));
            assertThat(e.detail().get("file"), is("/p/kap.toml"));
        }
    }

    @Test
    void theEventStreamSendsTheBacklogSinceATimeThenLiveEvents() throws Exception {
        try (Sidecar s = start(Optional.of(TOKEN))) {
            Instant before = Instant.now();
            s.audit().record(new AuditEvent(Instant.now(), "egress", "old.example:443", AuditEvent.Outcome.DENY,
                    Reasons.NO_RULE_MATCHED, Optional.empty(), Optional.empty(), Map.of()));
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpURLConnection stream = open(s, "GET", "/events", TOKEN);
            stream.setRequestProperty("Last-Event-ID", before.toString());
            stream.setReadTimeout(20_000);
            assertThat(stream.getResponseCode(), is(200));
            assertThat(stream.getContentType(), containsString("text/event-stream"));
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("data: ")) {
                            lines.add(line.substring(6));
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            assertThat(AuditEvent.parse(lines.poll(5, TimeUnit.SECONDS)).orElseThrow().subject(),
                    is("old.example:443"));
            s.audit().record(new AuditEvent(Instant.now(), "egress", "new.example:443", AuditEvent.Outcome.DENY,
                    Reasons.NO_RULE_MATCHED, Optional.empty(), Optional.empty(), Map.of()));
            String live = lines.poll(5, TimeUnit.SECONDS);
            assertThat(live, notNullValue());
            assertThat(AuditEvent.parse(live).orElseThrow().subject(), is("new.example:443"));
            reader.interrupt();
        }
    }

    @Test
    void theTokenFileIsCreatedPrivateAndReadBack() throws Exception {
        Path file = dir.resolve("state/admin.token");
        String token = AdminToken.readOrCreate(file);
        assertThat(token.length(), is(43));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), is("rw-------"));
        assertThat(AdminToken.readOrCreate(file), is(token));
    }

    private List<AuditEvent> audit() throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            AuditEvent.parse(line).ifPresent(events::add);
        }
        return events;
    }
}
