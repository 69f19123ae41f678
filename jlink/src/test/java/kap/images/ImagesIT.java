package kap.images;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Boots the linked runtime images the build produced: each holds the modules it should and no others, finds its
 * providers through ServiceLoader, has no automatic module, and the sidecar image serves and stops on SIGTERM.
 */
@Timeout(120)
class ImagesIT {

    private static final Path IMAGES = Path.of(System.getProperty("kap.images", "target/images"));
    private static final List<String> LISTENERS = List.of("egress", "dns", "mcp", "clix");

    @TempDir
    Path dir;

    private static String run(Path image, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(image.toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("exited in time: " + command, p.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(command + " failed:\n" + out, p.exitValue(), is(0));
        return out;
    }

    private static List<String> modules(String image) throws Exception {
        return run(IMAGES.resolve(image).resolve("bin/java"), "--list-modules").lines()
                .map(l -> l.replaceAll("[@ ].*", "").trim()).filter(l -> !l.isEmpty()).toList();
    }

    private Path config() throws IOException {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, """
                [proxy]
                listen = "127.0.0.1:0"
                dns_listen = "127.0.0.1:0"
                admin_listen = "127.0.0.1:0"
                dns_upstream = "127.0.0.1:9"
                [proxy.observe]
                log = "%s"
                [proxy.network]
                allow = ["example.com"]
                [mcp]
                listen = "127.0.0.1:0"
                [cli]
                listen = "127.0.0.1:0"
                """.formatted(dir.resolve("audit.jsonl")));
        return file;
    }

    @Test
    void theSidecarImageHoldsTheSidecarAndNothingOfTheHostSide() throws Exception {
        List<String> modules = modules("sidecar");
        assertThat(modules, hasItems("kap.sidecar", "kap.policy", "kap.egress", "kap.dns", "kap.mcp", "kap.clix"));
        assertThat(modules.stream().filter(m -> m.equals("kap.cli") || m.equals("kap.remote")
                || m.startsWith("com.github.dockerjava") || m.startsWith("com.google.zxing")
                || m.startsWith("io.helidon") || m.equals("java.desktop")).toList(), is(empty()));
    }

    @Test
    void theCliImageHoldsTheCliTheRemoteDaemonAndEveryListener() throws Exception {
        assertThat(modules("cli"), hasItems("kap.cli", "kap.remote", "kap.sidecar", "kap.egress", "kap.dns",
                "kap.mcp", "kap.clix"));
        assertThat(run(IMAGES.resolve("cli/bin/kap"), "--version"), containsString("kap 0."));
    }

    @Test
    void theCliImageRunsACommandInACapsuleWithoutAWarning() throws Exception {
        assertThat(modules("cli"), hasItems("kap.runtime.namespace"));
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder builder = new ProcessBuilder(IMAGES.resolve("cli/bin/kap").toString(), "run", "--config",
                config().toString(), "--", "sh", "-c", "grep '^Seccomp:' /proc/self/status; exit 7")
                .redirectErrorStream(true);
        builder.environment().put("KAP_JAVA_OPTS", "-Duser.home=" + home);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS), is(true));
        // a machine without user namespaces says so (exit 125); any other outcome is a broken image
        assumeFalse(p.exitValue() == 125 && out.contains("kap run cannot start here"), out);
        // exactly the command's output: no JVM warning about native access, no log line on the terminal
        assertThat(out, is("Seccomp:\t2\n"));
        assertThat(p.exitValue(), is(7));
    }

    @Test
    void theShimImageIsJavaBaseAndTheShimOnly() throws Exception {
        assertThat(modules("shim"), is(List.of("java.base", "kap.shim")));
    }

    @Test
    void noImageHoldsAnAutomaticModule() throws Exception {
        for (String image : List.of("sidecar", "cli", "shim")) {
            Path java = IMAGES.resolve(image).resolve("bin/java");
            for (String module : modules(image)) {
                if (module.startsWith("java.") || module.startsWith("jdk.")) {
                    continue;
                }
                assertThat(image + ": " + module, run(java, "--describe-module", module), not(containsString(
                        "automatic")));
            }
        }
    }

    @Test
    void bothImagesFindEveryListenerThroughServiceLoader() throws Exception {
        Path toml = config();
        for (Path launcher : List.of(IMAGES.resolve("sidecar/bin/kap-sidecar"), IMAGES.resolve("cli/bin/kap"))) {
            List<String> args = new ArrayList<>();
            if (launcher.endsWith("kap")) {
                args.add("sidecar");
            }
            args.addAll(List.of("--check", "--config", toml.toString(), "--no-global"));
            String out = run(launcher, args.toArray(String[]::new));
            for (String listener : LISTENERS) {
                assertThat(launcher + "\n" + out, out, containsString("listener " + listener + ": starts"));
            }
        }
    }

    @Test
    void theSidecarImageServesHealthAndStopsWithinFiveSecondsOfSigterm() throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(IMAGES.resolve("sidecar/bin/kap-sidecar").toString(), "--config",
                config().toString(), "--no-global", "--grants", dir.resolve("grants.json").toString())
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(Eventually.within(Duration.ofSeconds(30), () -> read(stderr).contains("ready in")),
                    notNullValue());
            Matcher m = Pattern.compile("admin listening on 127\\.0\\.0\\.1:(\\d+)").matcher(read(stderr));
            assertThat(m.find(), is(true));
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + m.group(1) + "/health")
                    .toURL().openConnection();
            assertThat(c.getResponseCode(), is(200));
            for (String listener : LISTENERS) {
                assertThat(read(stderr), containsString("[sidecar] " + listener + " listening on"));
            }
            p.destroy();
            assertThat("stopped within 5 s of SIGTERM", p.waitFor(5, TimeUnit.SECONDS), is(true));
            assertThat(read(stderr), containsString("[sidecar] stopped"));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
