package kap.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AddressClassifier;
import kap.policy.AuditEvent;
import kap.policy.ConfigException;
import kap.policy.ConfigFiles;
import kap.testing.Eventually;
import kap.policy.ListenDefaults;
import kap.sidecar.spi.Resolver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(30)
class SidecarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config(String allow) throws IOException {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, """
                [proxy]
                listen = "127.0.0.1:0"
                dns_listen = "127.0.0.1:0"
                admin_listen = "127.0.0.1:0"
                [proxy.observe]
                log = "%s"
                [proxy.network]
                allow = [%s]
                """.formatted(dir.resolve("audit.jsonl"), allow));
        return file;
    }

    private Sidecar start(Path file) throws IOException {
        return Sidecar.start(new SidecarOptions(new ConfigFiles(Optional.of(file), List.of(), ListenDefaults.local()),
                Duration.ofMillis(100), Resolver.system(), AddressClassifier.create(Set::of)));
    }

    private static Response get(InetSocketAddress admin, String path, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin.getPort() + path).toURL()
                .openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Response(status, new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    c.getHeaderField("Content-Type"));
        }
    }

    record Response(int status, String body, String contentType) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @Test
    void servesHealthOnTheAdminAddress() throws Exception {
        try (Sidecar sidecar = start(config("\"github.com\""))) {
            Response health = get(sidecar.adminAddress(), "/health", "GET");
            assertThat(health.status(), is(200));
            assertThat(health.contentType(), is("application/json"));
            assertThat(health.json().get("status").asText(), is("ok"));
            assertThat(health.json().get("policy_generation").asLong(), is(1L));
        }
    }

    @Test
    void statusShowsABrokenEditAndHealthTurnsDegraded() throws Exception {
        Path file = config("\"github.com\"");
        try (Sidecar sidecar = start(file)) {
            Files.writeString(file, "[proxy.network]\nallow = [\"*hub.com\"]\n");
            assertThat(Eventually.within(Duration.ofSeconds(2), () -> sidecar.policy().lastError().isPresent()),
                    notNullValue());
            JsonNode status = get(sidecar.adminAddress(), "/status", "GET").json();
            assertThat(status.get("policy").get("reload_error").asText(), containsString("invalid rule '*hub.com'"));
            assertThat(status.get("policy").get("generation").asLong(), is(1L));
            assertThat(get(sidecar.adminAddress(), "/health", "GET").json().get("status").asText(), is("degraded"));
        }
    }

    @Test
    void statusNamesSettingsThatNeedARestart() throws Exception {
        Path file = config("\"github.com\"");
        try (Sidecar sidecar = start(file)) {
            Files.writeString(file, Files.readString(file).replaceFirst("(?m)^listen = .*$", "listen = \"127.0.0.1:1\""));
            assertThat(Eventually.within(Duration.ofSeconds(2), () -> sidecar.policy().generation() == 2),
                    notNullValue());
            JsonNode restart = get(sidecar.adminAddress(), "/status", "GET").json().get("policy").get("restart_needed");
            assertThat(restart.toString(), containsString("proxy.listen"));
        }
    }

    @Test
    void aListenOverrideReplacesTheConfiguredAddressesAndDoesNotAskForARestart() throws Exception {
        Path file = dir.resolve("kap.toml");
        // 192.0.2.1 (TEST-NET-1) is on no interface here: binding it fails unless the override applies
        Files.writeString(file, """
                [proxy]
                listen = "127.0.0.1:3128"
                dns_listen = "127.0.0.1:53"
                admin_listen = "192.0.2.1:3131"
                [proxy.observe]
                log = "%s"
                [proxy.network]
                allow = ["github.com"]
                """.formatted(dir.resolve("audit.jsonl")));
        SidecarOptions options = new SidecarOptions(new ConfigFiles(Optional.of(file), List.of(),
                ListenDefaults.local()), Duration.ofMillis(100), Resolver.system(), AddressClassifier.create(Set::of));
        assertThrows(IOException.class, () -> Sidecar.start(options).close());
        try (Sidecar sidecar = Sidecar.start(options.withListen(ListenOverride.loopbackEphemeral()))) {
            assertThat(sidecar.adminAddress().getAddress().isLoopbackAddress(), is(true));
            assertThat(get(sidecar.adminAddress(), "/health", "GET").status(), is(200));
            JsonNode restart = get(sidecar.adminAddress(), "/status", "GET").json().get("policy").get("restart_needed");
            assertThat(restart.size(), is(0));
        }
    }

    @Test
    void answersUnknownPathsAndMethodsWithoutCrashing() throws Exception {
        try (Sidecar sidecar = start(config("\"github.com\""))) {
            assertThat(get(sidecar.adminAddress(), "/nope", "GET").status(), is(404));
            assertThat(get(sidecar.adminAddress(), "/health", "POST").status(), is(405));
            assertThat(get(sidecar.adminAddress(), "/health", "GET").status(), is(200));
        }
    }

    @Test
    void closesWithinTheShutdownDeadlineAndRecordsStartAndStop() throws Exception {
        Sidecar sidecar = start(config("\"github.com\""));
        InetSocketAddress admin = sidecar.adminAddress();
        long t0 = System.nanoTime();
        sidecar.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0), lessThan(Sidecar.SHUTDOWN_DEADLINE));
        assertThrows(IOException.class, () -> get(admin, "/health", "GET"));
        List<String> subjects = Files.readAllLines(dir.resolve("audit.jsonl")).stream()
                .map(l -> AuditEvent.parse(l).orElseThrow().subject()).toList();
        assertThat(subjects, is(List.of("start", "stop")));
    }

    @Test
    void refusesToStartOnAnInvalidConfiguration() throws Exception {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, "[proxy]\nadmin_listen = \"127.0.0.1:0\"\n[proxy.network]\nallow = [\"a.*.com\"]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> start(file));
        assertThat(e.getMessage(), containsString(file + ":4: proxy.network.allow[0]"));
    }
}
