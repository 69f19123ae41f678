package kap.mcp.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;
import kap.mcp.OAuthOptions;
import kap.mcp.Registrar;
import kap.mcp.RegistrationException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code kap mcp add} in OAuth 2.1 mode against the official SDK's authorization server (metadata, dynamic client
 * registration, PKCE-verifying token endpoint, resource check), and refreshing under the lock.
 */
@Timeout(90)
class OAuthTest {

    static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1).build();

    static NodeProcess server;
    static URI mcp;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = NodeProcess.server("oauth.mjs");
        mcp = URI.create("http://127.0.0.1:" + server.port() + "/mcp");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode stats() throws Exception {
        return Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Runs the registration; {@code browser} plays the user's browser with the printed URL. */
    static Registrar.Registration register(AuthStore store, Browser browser) throws Exception {
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PrintStream out = new PrintStream(new PipedOutputStream(in), true, StandardCharsets.UTF_8);
        CompletableFuture<Registrar.Registration> done = CompletableFuture.supplyAsync(() -> {
            try {
                return Registrar.create(store, out).addWithOAuth("secure", mcp, new OAuthOptions(Optional.empty(),
                        Optional.empty(), List.of(), false, Duration.ofSeconds(20)));
            } catch (IOException e) {
                throw new RegistrationException(e.toString());
            } finally {
                out.close();
            }
        });
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("http")) {
                browser.visit(URI.create(line));
                break;
            }
        }
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @FunctionalInterface
    interface Browser {
        void visit(URI authorizationUrl) throws Exception;
    }

    /** The authorization server redirects at once (the demo provider logs a demo user in); follow to the callback. */
    static void consent(URI url) throws Exception {
        HttpResponse<String> authorize = HTTP.send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authorize.body(), authorize.statusCode(), is(302));
        URI callback = URI.create(authorize.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = HTTP.send(HttpRequest.newBuilder(callback).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(back.statusCode(), is(200));
    }

    @Test
    void addCompletesDiscoveryDynamicRegistrationPkceAndTheTokenExchange() throws Exception {
        JsonNode before = stats();
        List<URI> visited = new ArrayList<>();
        AuthStore store = AuthStore.at(dir.resolve("auth"));
        Registrar.Registration r = register(store, url -> {
            visited.add(url);
            consent(url);
        });
        assertThat(r.tools().getFirst().name(), is("whoami"));
        String query = visited.getFirst().getQuery();
        assertThat(query, containsString("code_challenge_method=S256"));
        assertThat(query, containsString("state="));
        assertThat(query, containsString("resource=" + mcp));
        assertThat(query, containsString("redirect_uri=http://127.0.0.1:"));
        assertThat(stats().get("registrations").asInt(), is(before.get("registrations").asInt() + 1));
        assertThat(stats().get("exchanges").asInt(), is(before.get("exchanges").asInt() + 1));
        Path file = store.file("secure");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), is("rw-------"));
        AuthRecord saved = store.read("secure").orElseThrow();
        assertThat(saved.kind(), is("oauth"));
        assertThat(saved.resource().orElseThrow(), is(mcp.toString()));
        assertThat(saved.tokenEndpoint(), is("http://127.0.0.1:" + server.port() + "/token"));
        assertThat(saved.clientId().isEmpty(), is(false));
    }

    @Test
    void aCallbackWithAWrongStateEndsTheFlowAndSavesNothing() throws Exception {
        AuthStore store = AuthStore.at(dir.resolve("auth"));
        RegistrationException e = assertThrows(RegistrationException.class, () -> register(store, url -> {
            String redirect = LoopbackCallback.query(url.getRawQuery()).get("redirect_uri");
            HTTP.send(HttpRequest.newBuilder(URI.create(redirect + "?code=stolen&state=forged")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }));
        assertThat(e.getMessage(), containsString("state"));
        assertThat(Files.exists(store.file("secure")), is(false));
    }

    @Test
    void anErrorCallbackEndsTheFlowWithTheServersReason() throws Exception {
        AuthStore store = AuthStore.at(dir.resolve("auth"));
        RegistrationException e = assertThrows(RegistrationException.class, () -> register(store, url -> {
            var q = LoopbackCallback.query(url.getRawQuery());
            HTTP.send(HttpRequest.newBuilder(URI.create(q.get("redirect_uri") + "?error=access_denied&state="
                    + q.get("state"))).build(), HttpResponse.BodyHandlers.ofString());
        }));
        assertThat(e.getMessage(), containsString("access_denied"));
        assertThat(Files.exists(store.file("secure")), is(false));
    }

    @Test
    void twoProcessesRacingToRefreshRefreshOnlyOnce() throws Exception {
        AuthStore store = AuthStore.at(dir.resolve("auth"));
        register(store, OAuthTest::consent);
        AuthRecord stale = store.read("secure").orElseThrow();
        int before = stats().get("refreshes").asInt();
        Process other = childRefresher(store.dir());
        BufferedReader childOut = new BufferedReader(new InputStreamReader(other.getInputStream(),
                StandardCharsets.UTF_8));
        assertThat(childOut.readLine(), is("READY"));
        Files.writeString(dir.resolve("go"), "");
        AuthRecord mine = new TokenRefresher(store, "secure", HTTP).refresh(stale);
        String theirs = childOut.readLine();
        assertThat(other.waitFor(20, TimeUnit.SECONDS), is(true));
        assertThat(theirs, is("TOKEN " + mine.accessToken()));
        assertThat(mine.accessToken(), not(is(stale.accessToken())));
        assertThat(stats().get("refreshes").asInt(), is(before + 1));
        assertThat(stats().get("lastRefreshResource").asText(), is(mcp.toString()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file("secure"))),
                is("rw-------"));
    }

    @Test
    void theProxyRefreshesOnceOn401AndRetries() throws Exception {
        try (McpHarness kap = new McpHarness(dir, """
                [[mcp.servers]]
                name = "secure"
                allow = ["whoami"]
                """)) {
            AuthStore store = AuthStore.at(kap.authDir);
            register(store, OAuthTest::consent);
            String old = store.read("secure").orElseThrow().accessToken();
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/expire-access"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            int before = stats().get("refreshes").asInt();
            RawSession s = new RawSession(kap, "secure");
            var r = s.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\"}}");
            assertThat(r.body(), containsString("client "));
            assertThat(stats().get("refreshes").asInt(), is(before + 1));
            assertThat(store.read("secure").orElseThrow().accessToken(), not(is(old)));
        }
    }

    private static Process childRefresher(Path authDir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--module-path", System.getProperty("jdk.module.path"),
                "--patch-module", "kap.mcp=" + Path.of("target", "test-classes").toAbsolutePath(),
                "-m", "kap.mcp/kap.mcp.internal.RefreshMain", authDir.toString(), "secure");
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
