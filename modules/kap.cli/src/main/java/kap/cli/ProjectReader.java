package kap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import kap.cli.spi.ProjectSpec;
import kap.policy.ConfigFiles;
import kap.policy.ConfigLoader;
import kap.policy.KapConfig;
import kap.policy.ListenDefaults;

/**
 * Reads a project's {@code .devcontainer/} into a {@link ProjectSpec}, or says why kap cannot model it alone (then
 * {@code kap up} hands over to the devcontainer CLI).
 */
final class ProjectReader {

    private static final Pattern LOCAL_ENV = Pattern.compile("\\$\\{localEnv:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    private final Map<String, String> environment;

    ProjectReader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * What {@link #read} found.
     *
     * @param spec the project, when kap can model it
     * @param handover why not, otherwise
     * @param devcontainer the parsed devcontainer.json
     */
    record Result(Optional<ProjectSpec> spec, Optional<String> handover, Devcontainer devcontainer) {
    }

    static Path configFile(Path projectDir) {
        return projectDir.resolve(".devcontainer").resolve("kap.toml");
    }

    /**
     * Loads kap.toml (merged with the global file) as the sidecar container will.
     *
     * @param projectDir project directory
     * @return the configuration
     * @throws KapException if there is no kap.toml
     */
    static KapConfig loadConfig(Path projectDir) {
        Path file = configFile(projectDir);
        if (!Files.exists(file)) {
            throw new KapException("no kap.toml at " + file + "; run `kap init` first");
        }
        List<Path> globals = List.of(Runtimes.home(System.getenv()).resolve("kap.toml"));
        return ConfigLoader.load(new ConfigFiles(Optional.of(file), globals, ListenDefaults.CONTAINER)).config();
    }

    Result read(Path dir) throws IOException {
        Path projectDir = dir.toRealPath();
        KapConfig config = loadConfig(projectDir);
        Path dc = projectDir.resolve(".devcontainer");
        Path json = dc.resolve("devcontainer.json");
        if (!Files.exists(json)) {
            throw new KapException("no devcontainer.json at " + json + "; run `kap init`");
        }
        Devcontainer d = Devcontainer.read(json);
        String name = d.name().orElse(projectDir.getFileName().toString());
        String workspace = d.workspaceFolder().orElse("/workspaces/" + projectDir.getFileName());
        Map<String, String> env = new LinkedHashMap<>();
        List<ProjectSpec.Mount> mounts = new ArrayList<>();
        ProjectSpec.AppSource app;
        Optional<List<String>> command = Optional.empty();
        Optional<String> user = d.remoteUser();
        if (d.usesCompose()) {
            ComposeService service = ComposeService.read(dc, d.composeFiles(), d.service());
            List<String> breakers = service.isolationBreakers();
            if (!breakers.isEmpty()) {
                throw new KapException("service '" + d.service() + "' sets " + String.join(", ", breakers)
                        + ", which would give the agent a way around the sidecar; remove it from the compose file");
            }
            Optional<String> why = service.unmodelled();
            if (why.isPresent()) {
                return new Result(Optional.empty(), why, d);
            }
            app = composeApp(service, dc);
            service.environment().forEach((k, v) -> env.put(k, expand(v)));
            mounts.addAll(mounts(service, dc, projectDir));
            command = service.command();
            user = user.or(() -> service.string("user"));
        } else if (d.image().isPresent()) {
            app = new ProjectSpec.Image(d.image().get());
        } else if (d.build().isPresent()) {
            app = build(d.build().get(), dc);
        } else {
            return new Result(Optional.empty(), Optional.of("devcontainer.json has no image, build or compose file"), d);
        }
        d.stringMap("containerEnv").forEach((k, v) -> env.put(k, expand(v)));
        Map<String, String> execEnv = new LinkedHashMap<>();
        d.stringMap("remoteEnv").forEach((k, v) -> execEnv.put(k, expand(v)));
        Optional<Path> agent = Optional.ofNullable(environment.get("SSH_AUTH_SOCK")).filter(s -> !s.isBlank())
                .map(Path::of).filter(Files::exists).filter(p -> config.sshAgent());
        return new Result(Optional.of(new ProjectSpec(name, projectDir, configFile(projectDir), config, workspace, app,
                env, execEnv, mounts, command, user, agent)), Optional.empty(), d);
    }

    private static ProjectSpec.AppSource composeApp(ComposeService service, Path dc) {
        Object build = service.definition().get("build");
        if (build instanceof String context) {
            return new ProjectSpec.Build(dc.resolve(context).normalize(), Optional.empty(), Optional.empty(), Map.of());
        }
        if (build instanceof Map<?, ?> m) {
            return build(m, dc);
        }
        return new ProjectSpec.Image(service.string("image").orElseThrow());
    }

    private static ProjectSpec.Build build(Map<?, ?> m, Path dc) {
        Map<String, String> args = new LinkedHashMap<>();
        if (m.get("args") instanceof Map<?, ?> a) {
            a.forEach((k, v) -> args.put(String.valueOf(k), String.valueOf(v)));
        }
        Object context = m.get("context");
        return new ProjectSpec.Build(dc.resolve(context == null ? "." : String.valueOf(context)).normalize(),
                Optional.ofNullable(m.get("dockerfile")).map(String::valueOf),
                Optional.ofNullable(m.get("target")).map(String::valueOf), args);
    }

    private static List<ProjectSpec.Mount> mounts(ComposeService service, Path dc, Path projectDir) {
        List<ProjectSpec.Mount> result = new ArrayList<>();
        for (String[] v : service.volumes()) {
            String source = v[0];
            boolean path = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
            if (path) {
                Path host = source.startsWith("~")
                        ? Path.of(System.getProperty("user.home") + source.substring(1))
                        : dc.resolve(source).normalize();
                if (host.equals(projectDir)) {
                    continue; // the workspace: kap mounts it itself, with .devcontainer/ read-only on top
                }
                source = host.toString();
            }
            result.add(new ProjectSpec.Mount(source, v[1], v[2].equals("ro")));
        }
        return result;
    }

    /** Expands {@code ${localEnv:NAME}} and {@code ${localEnv:NAME:default}} from the host environment. */
    String expand(String value) {
        Matcher m = LOCAL_ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = environment.getOrDefault(m.group(1), m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }
}
