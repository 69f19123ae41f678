package kap.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.mcp.PinStore;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code kap mcp add/list/get/approve/remove} in header mode against a real MCP server (the SDK test server of
 * kap.mcp, on loopback) that requires the header.
 */
@Timeout(60)
class McpCommandTest {

    static Process upstream;
    static String url;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeAll
    static void start() throws Exception {
        Path node = Path.of("..", "kap.mcp", "src", "test", "node").toAbsolutePath().normalize();
        upstream = new ProcessBuilder("node", node.resolve("upstream.mjs").toString(), "--json", "--bearer",
                "t0ken").directory(node.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat("upstream started (run scripts/test-prereqs.sh first): " + line, line != null
                && line.startsWith("LISTENING "), is(true));
        url = "http://127.0.0.1:" + line.substring(10).trim() + "/mcp";
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.destroyForcibly();
        upstream.waitFor(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private int kap(String... args) {
        out.reset();
        err.reset();
        return Main.run(args);
    }

    private String auth() {
        return dir.resolve("auth").toString();
    }

    @Test
    void addVerifiesWithTheHeaderAndWritesAnOwnerOnlyFile() throws Exception {
        assertThat(kap("mcp", "add", "demo", url, "--header", "Authorization=Bearer t0ken", "--auth-dir", auth()),
                is(0));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("Registered demo"));
        Path file = dir.resolve("auth").resolve("demo.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), is("rw-------"));
        assertThat(Files.readString(file), containsString("\"upstream\" : \"" + url + "\""));

        assertThat(kap("mcp", "list", "--auth-dir", auth()), is(0));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("✓ demo"));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("auth: headers (Authorization)"));

        assertThat(kap("mcp", "get", "demo", "--auth-dir", auth()), is(0));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("echo"));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("Echoes the text back"));

        assertThat(kap("mcp", "add", "demo", url, "--header", "Authorization=Bearer t0ken", "--auth-dir", auth()),
                is(0));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("Already registered: demo"));

        assertThat(kap("mcp", "remove", "demo", "--auth-dir", auth()), is(0));
        assertThat(Files.exists(file), is(false));
    }

    @Test
    void addRefusesAnEndpointThatRejectsTheHeadersAndSavesNothing() {
        assertThat(kap("mcp", "add", "demo", url, "--header", "Authorization=Bearer wrong", "--auth-dir", auth()),
                is(1));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("could not verify " + url));
        assertThat(Files.exists(dir.resolve("auth").resolve("demo.json")), is(false));
    }

    @Test
    void badInputIsAClearError() {
        assertThat(kap("mcp", "add", "demo", url, "--header", "NoEquals", "--auth-dir", auth()), is(1));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("invalid header format"));
        assertThat(kap("mcp", "get", "nope", "--auth-dir", auth()), is(1));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("no auth registered for 'nope'"));
        assertThat(kap("mcp", "list", "--auth-dir", auth()), is(0));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("No MCP servers registered."));
    }

    @Test
    void approveAcceptsAChangedToolAndRefusesWhenNothingChanged() throws Exception {
        PinStore pins = PinStore.at(dir.resolve("auth"));
        pins.observe("demo", Map.of("search", "a".repeat(64)));
        assertThat(kap("mcp", "approve", "demo", "search", "--auth-dir", auth()), is(1));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("no change waiting for approval"));
        pins.observe("demo", Map.of("search", "b".repeat(64)));
        assertThat(pins.changed("demo", "search"), is(true));
        assertThat(kap("mcp", "approve", "demo", "search", "--auth-dir", auth()), is(0));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("Approved demo/search"));
        assertThat(PinStore.at(dir.resolve("auth")).changed("demo", "search"), is(false));
        assertThat(PinStore.at(dir.resolve("auth")).pins("demo").getFirst().sha256(), is("b".repeat(64)));
    }

    @Test
    void helpListsTheMcpCommands() {
        assertThat(kap("mcp", "--help"), is(0));
        for (String c : new String[] {"add", "get", "list", "remove", "approve"}) {
            assertThat(out.toString(StandardCharsets.UTF_8), containsString(c));
        }
    }
}
