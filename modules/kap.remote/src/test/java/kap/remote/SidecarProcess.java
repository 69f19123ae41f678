package kap.remote;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real sidecar process ({@code kap-sidecar}: the sidecar's own entry point, with every listener module on its
 * module path), started from this test's class path, with its own config, grants file and admin token.
 */
final class SidecarProcess implements AutoCloseable {

    private static final List<String> TEST_ONLY = List.of("junit", "opentest4j", "apiguardian", "hamcrest",
            "surefire", "test-classes", "kap-testing", "kap.testing", "helidon", "zxing", "kap-remote", "kap.remote");

    private final Process process;
    private final Path stderr;

    private SidecarProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    static SidecarProcess start(Path dir, Path config, Path grants, Path token) throws IOException,
            InterruptedException {
        Path stderr = dir.resolve("sidecar.err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath(), "--add-modules", "ALL-MODULE-PATH",
                "-m", "kap.sidecar/kap.sidecar.Main", "--config", config.toString(), "--no-global",
                "--grants", grants.toString(), "--admin-token-file", token.toString()));
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        SidecarProcess sidecar = new SidecarProcess(p, stderr);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!sidecar.log().contains("[sidecar] ready in ")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                sidecar.close();
                throw new IOException("the sidecar did not start:\n" + sidecar.log());
            }
            Thread.sleep(50);
        }
        return sidecar;
    }

    /** The port a listener logged, such as {@code egress} or {@code admin}. */
    int port(String listener) throws IOException {
        Matcher m = Pattern.compile("\\[sidecar] " + listener + " listening on 127\\.0\\.0\\.1:(\\d+)").matcher(log());
        if (!m.find()) {
            throw new IOException("no " + listener + " listener in:\n" + log());
        }
        return Integer.parseInt(m.group(1));
    }

    String log() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    /** Stops it with SIGTERM, as a runtime would, and waits for a graceful exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String modulePath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            for (String entry : System.getProperty(property, "").split(File.pathSeparator)) {
                if (!entry.isBlank() && TEST_ONLY.stream().noneMatch(entry::contains)) {
                    entries.add(entry);
                }
            }
        }
        return entries.stream().distinct().collect(Collectors.joining(File.pathSeparator));
    }
}
