package kap.clix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import kap.policy.AddressClassifier;
import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.ConfigFiles;
import kap.policy.Endpoint;
import kap.policy.ListenDefaults;
import kap.policy.LivePolicy;
import kap.shim.Shim;
import kap.shim.ShimScript;
import kap.sidecar.spi.Resolver;
import kap.sidecar.spi.SidecarContext;

/**
 * A CLI proxy on loopback for one test class: a temporary workspace, a tool directory with test scripts, a shim
 * directory, a {@code .env}, an audit log, and a {@code kap.toml}. Shims run as real processes with an empty
 * environment apart from {@code KAP_CLIX} and {@code PATH}, as in a capsule.
 */
final class ClixFixture implements AutoCloseable {

    final Path root;
    final Path workspace;
    final Path bin;
    final Path shims;
    final Path envFile;
    final Path config;
    final Path auditFile;
    final LivePolicy policy;
    final AuditLog audit;
    final ClixServer server;

    ClixFixture(Path root, String toml) throws IOException {
        this.root = root;
        this.workspace = Files.createDirectories(root.resolve("workspace"));
        this.bin = Files.createDirectories(root.resolve("bin"));
        this.shims = root.resolve("shims");
        this.envFile = root.resolve("kap.env");
        this.config = root.resolve("kap.toml");
        this.auditFile = root.resolve("audit.jsonl");
        Files.writeString(config, toml + "\n[proxy.observe]\nlog = \"" + auditFile + "\"\n");
        ListenDefaults defaults = new ListenDefaults(local(), local(), local(), local(), local(), auditFile);
        this.policy = LivePolicy.loadOnce(new ConfigFiles(Optional.of(config), List.of(), defaults),
                AddressClassifier.create());
        this.audit = AuditLog.open(auditFile, 10_000_000, 2);
        SidecarContext context = new SidecarContext(policy, audit, policy.current().config(), Resolver.system());
        ClixSettings settings = new ClixSettings(workspace, workspace.toString(), envFile,
                List.of(bin, Path.of("/usr/bin"), Path.of("/bin")), root, Optional.of(shims), java(), Optional.of(
                shimModulePath()), ShimScript.DEFAULT_OPTIONS);
        this.server = ClixServer.start(context, settings, Map.of("LANG", "C.UTF-8"));
    }

    private static Endpoint local() {
        return Endpoint.parse("127.0.0.1:0", -1);
    }

    static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    static String shimModulePath() {
        try {
            return Path.of(Shim.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    String address() {
        InetSocketAddress a = server.addresses().getFirst();
        return "127.0.0.1:" + a.getPort();
    }

    /** Writes an executable test tool into the sidecar's tool directory. */
    void tool(String name, String script) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Replaces kap.toml and applies it, as the watcher would. */
    void reload(String toml) throws IOException {
        Files.writeString(config, toml + "\n[proxy.observe]\nlog = \"" + auditFile + "\"\n");
        if (!policy.reloadNow()) {
            throw new IllegalStateException("reload not applied: " + policy.lastError());
        }
    }

    /** The finished shim process. */
    record Run(int exit, String out, String err) {
    }

    Run shim(String tool, List<String> args) throws Exception {
        return shim(tool, args, workspace, "", Map.of());
    }

    /**
     * Runs a tool's shim as a process in a capsule-like environment.
     *
     * @param tool tool name
     * @param args arguments
     * @param cwd working directory
     * @param stdin bytes for the shim's standard input
     * @param extraEnv more variables for the shim (what an agent might set)
     */
    Run shim(String tool, List<String> args, Path cwd, String stdin, Map<String, String> extraEnv)
            throws Exception {
        Process p = start(tool, args, cwd, extraEnv);
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // not read
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread e = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(tool + " " + args + " did not finish");
        }
        o.join(5000);
        e.join(5000);
        feeder.join(1000);
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Process start(String tool, List<String> args, Path cwd, Map<String, String> extraEnv) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(shims.resolve(tool).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", shims + ":/usr/bin:/bin");
        builder.environment().put("KAP_CLIX", address());
        builder.environment().putAll(extraEnv);
        return builder.start();
    }

    /** The audit events of source clix, in order. */
    List<AuditEvent> events() throws IOException {
        return Files.readAllLines(auditFile).stream().map(AuditEvent::parse).flatMap(Optional::stream)
                .filter(e -> e.source().equals("clix")).toList();
    }

    AuditEvent lastEvent() throws IOException {
        List<AuditEvent> all = events();
        if (all.isEmpty()) {
            throw new AssertionError("no clix audit event in " + auditFile);
        }
        return all.getLast();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // process ended
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown(0);
        policy.close();
        audit.close();
    }
}
