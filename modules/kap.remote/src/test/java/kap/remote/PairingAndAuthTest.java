package kap.remote;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Pairing and authentication: what the API acceptance tests ask, each attack checked to fail and to leave a
 * trace where one is due.
 */
@Timeout(30)
class PairingAndAuthTest {

    private static final List<String> PROTECTED = List.of("/api/me", "/api/devices", "/api/capsules", "/api/events",
            "/api/stream", "/api/requests", "/api/capsules/x/grants", "/api/capsules/x/agent/sessions",
            "/api/nothing-here");

    @TempDir
    Path home;

    private RemoteDaemon daemon;
    private Client anonymous;

    @BeforeEach
    void start() throws Exception {
        daemon = Daemons.start(home, CapsuleSource.of(List.of()));
        anonymous = new Client(daemon.baseUri(), null);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void everyApiCallWithoutAValidDeviceTokenGets401() throws Exception {
        for (String path : PROTECTED) {
            assertThat(path, anonymous.get(path).status(), is(401));
            assertThat(path, anonymous.as("not-a-token").get(path).status(), is(401));
        }
        assertThat(anonymous.post("/api/requests/r-000000000000", "{}").status(), is(401));
        assertThat("the page itself needs no token", anonymous.get("/").status(), is(200));
    }

    @Test
    void aPairingCodePairsOnceAndNeverOpensTheApi() throws Exception {
        String code = Daemons.code(daemon.newPairing().url());
        assertThat("the original's pairing token opened the API; a code must not",
                anonymous.as(code).get("/api/capsules").status(), is(401));
        Client.Reply first = anonymous.post("/api/pair", "{\"code\":\"" + code + "\",\"name\":\"Pixel 8\"}");
        assertThat(first.body(), first.status(), is(200));
        String token = first.json().path("token").asText();
        assertThat(anonymous.as(token).get("/api/me").json().path("name").asText(), is("Pixel 8"));
        Client.Reply again = anonymous.post("/api/pair", "{\"code\":\"" + code + "\",\"name\":\"thief\"}");
        assertThat(again.status(), is(401));
        assertThat(again.json().path("error").asText(), containsString("not valid"));
        assertThat(audit().stream().map(AuditEvent::reason).toList(), hasItem("pairing refused"));
    }

    @Test
    void aPairingCodeExpires() throws Exception {
        daemon.close();
        daemon = RemoteDaemon.start(RemoteOptions.of(home, "127.0.0.1", 0, CapsuleSource.of(List.of()))
                .withPairingTtl(Duration.ofSeconds(1)));
        anonymous = new Client(daemon.baseUri(), null);
        String code = Daemons.code(daemon.newPairing().url());
        Thread.sleep(1200);
        assertThat(anonymous.post("/api/pair", "{\"code\":\"" + code + "\"}").status(), is(401));
    }

    @Test
    void pairingAttemptsAreRateLimitedEvenForARightCode() throws Exception {
        String code = Daemons.code(daemon.newPairing().url());
        for (int i = 0; i < PairingCodes.MAX_FAILURES_PER_CLIENT; i++) {
            assertThat(anonymous.post("/api/pair", "{\"code\":\"guess" + i + "\"}").status(), is(401));
        }
        Client.Reply limited = anonymous.post("/api/pair", "{\"code\":\"" + code + "\"}");
        assertThat(limited.status(), is(429));
        assertThat(limited.response().headers().firstValue("Retry-After").orElse(""), is("60"));
    }

    @Test
    void storedTokensAreHashesInAPrivateFile() throws Exception {
        String token = Daemons.pair(daemon, "phone");
        Path file = home.resolve("devices.json");
        String stored = Files.readString(file);
        assertThat(stored, not(containsString(token)));
        assertThat(stored, containsString(DeviceStore.hash(token)));
        assertThat(DeviceStore.hash(token), startsWith("sha256:"));
        assertThat(DeviceStore.hash(token).length(), is(7 + 64));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), is("rw-------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)), is("rwx------"));
        assertThat("256-bit token", token.length(), is(43));
    }

    @Test
    void aRevokedDevicesOpenStreamClosesAtOnceAndItsNextCallGets401() throws Exception {
        String token = Daemons.pair(daemon, "lost phone");
        String other = Daemons.pair(daemon, "kept phone");
        Client phone = anonymous.as(token);
        HttpResponse<InputStream> stream = phone.open("/api/stream");
        assertThat(stream.statusCode(), is(200));
        HttpResponse<InputStream> kept = anonymous.as(other).open("/api/stream");
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine(), is(": kap remote"));
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (lines.readLine() != null) {
                    // drain until the server ends the stream
                }
            } catch (Exception e) {
                // ended
            }
        });
        String id = phone.get("/api/me").json().path("id").asText();
        // kap remote revoke edits the file from another process, then asks the daemon to reload
        DeviceStore cli = DeviceStore.open(home.resolve("devices.json"));
        long t0 = System.nanoTime();
        assertThat(cli.revoke(id), is(true));
        daemon.reloadDevices();
        reader.join(Duration.ofSeconds(3));
        assertThat("stream ended", reader.isAlive(), is(false));
        assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis(), lessThan(1000L));
        assertThat(phone.get("/api/me").status(), is(401));
        assertThat("other devices keep working", anonymous.as(other).get("/api/me").status(), is(200));
        assertThat(daemon.openStreams(), is(1));
        kept.body().close();
        assertThat(audit().stream().map(AuditEvent::reason).toList(), hasItem("device revoked"));
    }

    @Test
    void aRevocationByAnotherProcessIsNoticedWithoutBeingTold() throws Exception {
        String token = Daemons.pair(daemon, "phone");
        Client phone = anonymous.as(token);
        String id = phone.get("/api/me").json().path("id").asText();
        DeviceStore.open(home.resolve("devices.json")).revoke(id);
        assertThat(Eventually.within(Duration.ofSeconds(2), () -> {
            try {
                return phone.get("/api/me").status() == 401;
            } catch (Exception e) {
                return false;
            }
        }), notNullValue());
    }

    @Test
    void aWrongHostIsRefused() throws Exception {
        String token = Daemons.pair(daemon, "phone");
        for (String host : List.of("evil.example:" + daemon.port(), "127.0.0.1:1", "localhost." + daemon.port())) {
            String reply = raw("GET /api/me HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(host, reply, startsWith("HTTP/1.1 403"));
        }
        String empty = raw("GET /api/me HTTP/1.1\r\nHost: \r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        assertThat("Helidon itself refuses an empty Host", empty, startsWith("HTTP/1.1 400"));
        String rebound = raw("GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
        assertThat("a rebound page is not even served", rebound, startsWith("HTTP/1.1 403"));
        String right = raw("GET /api/me HTTP/1.1\r\nHost: 127.0.0.1:" + daemon.port() + "\r\nAuthorization: Bearer "
                + token + "\r\nConnection: close\r\n\r\n");
        assertThat(right, startsWith("HTTP/1.1 200"));
    }

    @Test
    void aWrongOriginIsRefused() throws Exception {
        Client phone = anonymous.as(Daemons.pair(daemon, "phone"));
        for (String origin : List.of("http://evil.example", "null", "https://127.0.0.1:" + daemon.port(),
                "http://127.0.0.1:" + (daemon.port() + 1))) {
            Client.Reply r = phone.send(phone.request("/api/me").header("Origin", origin).GET());
            assertThat(origin, r.status(), is(403));
            assertThat(r.json().path("error").asText(), containsString("cross-site"));
        }
        Client.Reply pair = phone.send(phone.request("/api/pair").header("Origin", "http://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
        assertThat("pairing from another site is refused too", pair.status(), is(403));
        Client.Reply fetchSite = phone.send(phone.request("/api/me").header("Sec-Fetch-Site", "cross-site").GET());
        assertThat(fetchSite.status(), is(403));
        Client.Reply same = phone.send(phone.request("/api/me").header("Origin", "http://127.0.0.1:" + daemon.port())
                .GET());
        assertThat(same.status(), is(200));
    }

    @Test
    void repliesCarrySecurityHeadersAndThePageAStrictPolicy() throws Exception {
        Client.Reply page = anonymous.get("/");
        assertThat(page.response().headers().firstValue("Content-Security-Policy").orElse(""),
                containsString("default-src 'none'"));
        assertThat(page.response().headers().firstValue("X-Content-Type-Options").orElse(""), is("nosniff"));
        assertThat(page.body(), containsString("app.js"));
        assertThat("no CDN", page.body().contains("https://"), is(false));
        assertThat(anonymous.get("/app.js").body().length(), greaterThan(1000));
    }

    @Test
    void malformedPairingRequestsGetClearErrorsAndTheDaemonKeepsServing() throws Exception {
        for (String body : List.of("not json", "[1]", "{\"code\":7}", "{\"code\":\"" + "x".repeat(100) + "\"}")) {
            Client.Reply r = anonymous.post("/api/pair", body);
            assertThat(body, r.status(), is(400));
        }
        assertThat(anonymous.post("/api/pair", "{\"code\":\"" + "x".repeat(20_000) + "\"}").status(), is(413));
        assertThat(Daemons.pair(daemon, "still works").length(), is(43));
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", daemon.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the status line is enough; the server may keep the connection open
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    private List<AuditEvent> audit() throws Exception {
        return Files.readAllLines(home.resolve("audit.jsonl")).stream().map(AuditEvent::parse)
                .flatMap(java.util.Optional::stream).toList();
    }
}
