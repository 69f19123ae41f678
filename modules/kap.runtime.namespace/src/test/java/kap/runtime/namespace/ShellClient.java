package kap.runtime.namespace;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;
import kap.cli.spi.CapsuleShell;
import kap.cli.spi.RuntimeContext;
import kap.runtime.namespace.KapRun.As;

/**
 * {@code NamespaceRuntime.shell(capsule).run(...)} as the user who ran {@code kap run}, the way {@code kap remote}
 * calls it: in this JVM when that is the same user, else (the tests run as root, {@code kap run} as
 * {@link TestUser#NAME}) in a small JVM started as that user through the runtime provider, since {@code exec.sock}
 * rightly refuses anyone else.
 */
final class ShellClient {

    /**
     * The other JVM: looks the capsule up (the record as this JVM last read it once the registry has dropped it) and
     * calls the shell; prints the exit code and both streams in Base64.
     */
    private static final String PROGRAM = """
            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.*;
            import kap.cli.spi.*;

            public class Shell {
                public static void main(String[] a) throws Exception {
                    Path home = Path.of(a[0]);
                    CapsuleRegistry registry = new CapsuleRegistry(home.resolve("capsules"));
                    CapsuleRuntime runtime = ServiceLoader.load(RuntimeProvider.class).stream()
                            .filter(p -> p.type().getName().endsWith("NamespaceRuntimeProvider")).findFirst()
                            .orElseThrow().get().create(new RuntimeContext(home, Map.of(), System.err, registry));
                    Capsule capsule = registry.get(a[1]).orElseGet(() -> new Capsule(a[1], "namespace", "gone",
                            Path.of("/"), Capsule.State.GONE, Optional.empty(), Optional.empty(),
                            java.time.Instant.now(), Map.of("runtime_dir", a[2])));
                    Base64.Encoder b64 = Base64.getEncoder();
                    try {
                        CapsuleShell.Result r = runtime.shell(capsule).orElseThrow()
                                .run(List.of(a).subList(4, a.length), Duration.ofMillis(Long.parseLong(a[3])));
                        System.out.println(r.exitCode());
                        System.out.println(b64.encodeToString(r.stdout().getBytes("UTF-8")));
                        System.out.println(b64.encodeToString(r.stderr().getBytes("UTF-8")));
                    } catch (java.io.IOException e) {
                        System.out.println("IOException");
                        System.out.println(b64.encodeToString(e.getMessage().getBytes("UTF-8")));
                    }
                }
            }
            """;

    private final As as;
    private final Sandbox sandbox;
    private final Capsule capsule;

    ShellClient(As as, Sandbox sandbox, Capsule capsule) {
        this.as = as;
        this.sandbox = sandbox;
        this.capsule = capsule;
    }

    /** The only capsule recorded in the sandbox's registry. */
    static Capsule onlyCapsule(Sandbox sandbox) throws IOException {
        List<Capsule> all = new CapsuleRegistry(sandbox.kapHome().resolve("capsules")).all();
        if (all.size() != 1) {
            throw new AssertionError("expected one capsule, found " + all);
        }
        return all.getFirst();
    }

    CapsuleShell.Result run(Duration timeout, String... argv) throws IOException, InterruptedException {
        if (as == As.ROOT || !Sandbox.root()) {
            RuntimeContext context = new RuntimeContext(sandbox.kapHome(), Map.of(), new PrintStream(
                    PrintStream.nullOutputStream()), new CapsuleRegistry(sandbox.kapHome().resolve("capsules")));
            return new NamespaceRuntime(context).shell(capsule).orElseThrow().run(List.of(argv), timeout);
        }
        return asTestUser(timeout, argv);
    }

    private CapsuleShell.Result asTestUser(Duration timeout, String... argv) throws IOException,
            InterruptedException {
        Path program = sandbox.dir().resolve("Shell.java");
        if (!Files.exists(program)) {
            Files.writeString(program, PROGRAM);
        }
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + TestUser.NAME,
                "--regid=" + TestUser.NAME, "--init-groups", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--module-path", KapRun.Staging.modulePath(),
                "--add-modules", "ALL-MODULE-PATH", "--enable-native-access=kap.runtime.namespace",
                program.toString(), sandbox.kapHome().toString(), capsule.id(),
                capsule.details().getOrDefault("runtime_dir", ""), Long.toString(timeout.toMillis())));
        line.addAll(List.of(argv));
        ProcessBuilder builder = new ProcessBuilder(line).directory(sandbox.dir().toFile());
        builder.environment().put("HOME", sandbox.home().toString());
        Process p = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (!p.waitFor(timeout.toSeconds() + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the shell client did not end");
        }
        if (out.size() >= 2 && out.getFirst().equals("IOException")) {
            throw new IOException(decode(out.get(1)));
        }
        if (out.size() != 3) {
            throw new AssertionError("the shell client printed " + out + "; stderr: " + err.join());
        }
        return new CapsuleShell.Result(Integer.parseInt(out.get(0)), decode(out.get(1)), decode(out.get(2)));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
