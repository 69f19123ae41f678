package kap.runtime.namespace;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code kap run} as a real process, as root or as an unprivileged user, with its own kap home, and collects
 * what it printed. The module path is the one a real {@code kap} would have (this module, the CLI, the listener
 * modules and their libraries), staged in a world-readable directory so that the unprivileged user can load it.
 */
final class KapRun {

    /** Who runs {@code kap run}. */
    enum As {
        /** uid 0; only when the tests run as root. */
        ROOT,
        /** An unprivileged user: {@link TestUser#NAME} when the tests run as root, else the current user. */
        USER
    }

    /** What a finished run left. */
    record Result(int exit, String stdout, String stderr) {
    }

    private final As as;
    private final Sandbox sandbox;
    private final List<String> runOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    KapRun(As as, Sandbox sandbox) {
        this.as = as;
        this.sandbox = sandbox;
        environment.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        environment.put("HOME", sandbox.home().toString());
        environment.put("LANG", "C.UTF-8");
    }

    Sandbox sandbox() {
        return sandbox;
    }

    KapRun config(Path config) {
        runOptions.addAll(List.of("--config", config.toString()));
        return this;
    }

    KapRun option(String option) {
        runOptions.add(option);
        return this;
    }

    KapRun env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * The full command line: {@code env --default-signal ... [setpriv ...] java ... kap.cli/kap.cli.Main run [options]
     * -- command}. A CI runner may start the build with SIGINT ignored (as a shell does for a background job), and
     * that is inherited; a user at a terminal has the default, so the tests restore it.
     */
    List<String> commandLine(List<String> command) throws IOException {
        List<String> line = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,TERM"));
        if (as == As.USER && Sandbox.root()) {
            line.addAll(List.of("setpriv", "--reuid=" + TestUser.NAME, "--regid=" + TestUser.NAME, "--init-groups",
                    "--"));
        }
        line.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + sandbox.home(),
                "--enable-native-access=kap.runtime.namespace",
                "--module-path", Staging.modulePath(), "--add-modules", "ALL-MODULE-PATH",
                "-m", "kap.cli/kap.cli.Main", "run", "--workdir", sandbox.work().toString()));
        line.addAll(runOptions);
        line.add("--");
        line.addAll(command);
        return line;
    }

    /**
     * Starts {@code kap run}.
     *
     * @param command the command for the capsule
     * @return the process; its output goes to files in the sandbox
     */
    Process start(String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(commandLine(List.of(command)))
                .directory(sandbox.work().toFile())
                .redirectOutput(sandbox.dir().resolve("stdout").toFile())
                .redirectError(sandbox.dir().resolve("stderr").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * Runs {@code kap run} to the end with the given standard input.
     *
     * @param stdin bytes for the command's standard input
     * @param command the command
     * @return the result
     */
    Result run(byte[] stdin, String... command) throws IOException, InterruptedException {
        Path input = sandbox.dir().resolve("stdin");
        Files.write(input, stdin);
        ProcessBuilder builder = new ProcessBuilder(commandLine(List.of(command)))
                .directory(sandbox.work().toFile())
                .redirectInput(input.toFile())
                .redirectOutput(sandbox.dir().resolve("stdout").toFile())
                .redirectError(sandbox.dir().resolve("stderr").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        return finish(process, Duration.ofSeconds(60));
    }

    Result run(String... command) throws IOException, InterruptedException {
        return run(new byte[0], command);
    }

    Result finish(Process process, Duration deadline) throws IOException, InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kap run did not end within " + deadline + "; stderr: " + stderr());
        }
        return new Result(process.exitValue(), stdout(), stderr());
    }

    String stdout() throws IOException {
        return read(sandbox.dir().resolve("stdout"));
    }

    String stderr() throws IOException {
        return read(sandbox.dir().resolve("stderr"));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** The module path, copied once into a directory every user can read. */
    static final class Staging {

        private static final List<String> TEST_ONLY = List.of("junit", "opentest4j", "apiguardian", "hamcrest",
                "surefire", "test-classes", "kap-testing", "kap.testing");
        private static String modulePath;

        private Staging() {
        }

        static synchronized String modulePath() throws IOException {
            if (modulePath == null) {
                Path dir = Sandbox.shared().resolve("modules");
                Files.createDirectories(dir);
                List<String> entries = new ArrayList<>();
                int n = 0;
                for (String property : List.of("jdk.module.path", "java.class.path")) {
                    for (String entry : System.getProperty(property, "").split(File.pathSeparator)) {
                        if (entry.isBlank() || TEST_ONLY.stream().anyMatch(entry::contains)) {
                            continue;
                        }
                        Path source = Path.of(entry);
                        Path target = dir.resolve((n++) + "-" + source.getFileName());
                        Sandbox.copyTree(source, target);
                        entries.add(target.toString());
                    }
                }
                Sandbox.openUp(dir);
                modulePath = String.join(File.pathSeparator, entries);
            }
            return modulePath;
        }
    }
}
