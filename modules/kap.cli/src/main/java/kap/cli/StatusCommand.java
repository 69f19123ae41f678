package kap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import kap.cli.spi.Capsule;
import kap.cli.spi.ProbeResult;
import kap.cli.spi.ProjectRuntime;

/**
 * {@code kap status}: the sidecar's health, the policy (loaded, or the last reload error), the listeners, and the
 * isolation probes run inside the capsule. Exits with 1 when anything is wrong.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Check a capsule: sidecar health, policy, listeners, isolation probes.",
                "The probes try the ways out from inside the capsule (direct IP, outside DNS, IPv6, the metadata",
                "address); each must fail. Exit code 1 when anything is wrong."})
final class StatusCommand implements Callable<Integer> {

    private static final int MAX_BODY = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-p", "--project-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "the project (default: the current directory)")
    Path projectDir;

    @Option(names = {"-c", "--capsule"}, paramLabel = "CAPSULE", description = "capsule id or project name")
    String capsule;

    @Option(names = "--json", description = "one JSON object, for scripts")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ProjectRuntime runtime = Runtimes.project(Runtimes.DEFAULT, System.err);
        Capsule c = CapsuleFinder.find(runtime, Optional.ofNullable(capsule), projectDir);
        List<String> problems = new ArrayList<>();
        if (c.state() != Capsule.State.RUNNING) {
            problems.add("capsule is " + c.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode health = get(c, "/health", problems);
        JsonNode status = get(c, "/status", problems);
        if (health != null && !"ok".equals(health.path("status").asText())) {
            problems.add("sidecar health is " + health.path("status").asText());
        }
        String reloadError = status == null ? null : status.path("policy").path("reload_error").asText(null);
        if (reloadError != null) {
            problems.add("kap.toml does not load: " + reloadError);
        }
        List<ProbeResult> probes = c.state() == Capsule.State.RUNNING ? runtime.probe(c) : List.of();
        probes.stream().filter(p -> !p.passed()).forEach(p -> problems.add("isolation probe failed: " + p.name()));
        if (json) {
            printJson(c, health, status, probes, problems);
        } else {
            printText(c, status, probes, problems);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    private static JsonNode get(Capsule c, String path, List<String> problems) {
        if (c.admin().isEmpty()) {
            problems.add("no admin address recorded for the sidecar");
            return null;
        }
        try {
            URI uri = c.admin().get().resolve(path);
            HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
            conn.setConnectTimeout(3000);
            conn.setReadTimeout(5000);
            try (InputStream in = conn.getResponseCode() == 200 ? conn.getInputStream() : conn.getErrorStream()) {
                if (conn.getResponseCode() != 200) {
                    problems.add("sidecar " + path + " answered " + conn.getResponseCode());
                    return null;
                }
                return JSON.readTree(in.readNBytes(MAX_BODY));
            }
        } catch (IOException e) {
            problems.add("sidecar admin " + path + " unreachable: " + e.getMessage());
            return null;
        }
    }

    private void printText(Capsule c, JsonNode status, List<ProbeResult> probes, List<String> problems) {
        Style s = Style.detect();
        System.out.println(s.bold(c.id()) + "  (" + c.runtime() + ", " + c.projectDir() + ")");
        if (status != null) {
            JsonNode policy = status.path("policy");
            System.out.println("  policy: generation " + policy.path("generation").asText() + ", applied "
                    + policy.path("applied_at").asText() + ", sources " + policy.path("sources"));
            status.path("listeners").properties().forEach(e -> System.out.println("  listener " + e.getKey() + ": "
                    + e.getValue().path("address").asText()));
        }
        for (ProbeResult p : probes) {
            System.out.println((p.passed() ? s.ok("  ok ") : s.bad("  !  ")) + " " + p.name() + s.dim("  " + p.detail()));
        }
        problems.forEach(p -> System.out.println(s.bad("  !   ") + p));
        System.out.println(problems.isEmpty() ? s.ok("  all checks passed") : s.bad("  " + problems.size()
                + " problem(s)"));
    }

    private static void printJson(Capsule c, JsonNode health, JsonNode status, List<ProbeResult> probes,
                                  List<String> problems) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", problems.isEmpty());
        n.set("capsule", ListCommand.toJson(JSON, c));
        n.set("health", health);
        n.set("status", status);
        var array = n.putArray("probes");
        for (ProbeResult p : probes) {
            array.addObject().put("name", p.name()).put("passed", p.passed()).put("detail", p.detail());
        }
        var list = n.putArray("problems");
        problems.forEach(list::add);
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }
}
