package kap.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * {@code kap sidecar} as a real process: one line per listener at start, health on the admin address, and a
 * graceful exit within 5 s of SIGTERM.
 */
@Timeout(60)
class SidecarProcessTest {

    private static final Pattern ADMIN = Pattern.compile("\\[sidecar] admin listening on 127\\.0\\.0\\.1:(\\d+)");

    /** Listeners that every sidecar runs; the MCP and CLI proxies run only when configured. */
    private static final List<String> LISTENERS = List.of("egress", "dns");

    @TempDir
    Path dir;

    @Test
    void startsLogsEachListenerServesHealthAndStopsWithinFiveSecondsOfSigterm() throws Exception {
        Path config = dir.resolve("kap.toml");
        Files.writeString(config, """
                [proxy]
                listen = "127.0.0.1:0"
                dns_listen = "127.0.0.1:0"
                admin_listen = "127.0.0.1:0"
                dns_upstream = "127.0.0.1:9"
                [proxy.observe]
                log = "%s"
                [proxy.network]
                allow = ["github.com"]
                """.formatted(dir.resolve("audit.jsonl")));
        Path grants = dir.resolve("grants.json");
        kap.policy.Grants.write(grants, List.of(new kap.policy.Grant("g-test", kap.policy.Grant.Scope.NETWORK,
                "example.com", java.time.Instant.now().plusSeconds(300), false, java.time.Instant.now(), "test")));
        Path stderr = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", RuntimeModulePath.asArgument(),
                "--add-modules", "ALL-MODULE-PATH",
                "-m", "kap.cli/kap.cli.Main", "sidecar", "--config", config.toString(), "--no-global", "--grants", grants.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat("ready line logged", Eventually.within(Duration.ofSeconds(20),
                    () -> read(stderr).contains("[sidecar] ready in ")), notNullValue());
            Matcher m = ADMIN.matcher(read(stderr));
            assertThat(m.find(), is(true));
            int port = Integer.parseInt(m.group(1));
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL()
                    .openConnection();
            assertThat(c.getResponseCode(), is(200));
            HttpURLConnection status = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/status").toURL()
                    .openConnection();
            assertThat("the grants file is the one given", new String(status.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8), containsString("\"id\":\"g-test\""));
            for (String listener : LISTENERS) {
                assertThat(read(stderr), containsString("[sidecar] " + listener + " listening on 127.0.0.1:"));
            }
            long t0 = System.nanoTime();
            process.destroy();
            assertThat("exited within 5 s", process.waitFor(5, TimeUnit.SECONDS), is(true));
            assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5000, is(true));
            assertThat(read(stderr), containsString("[sidecar] stopped"));
        } finally {
            process.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
