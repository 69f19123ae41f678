package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import kap.cli.spi.RunRequest;
import kap.cli.spi.RuntimeContext;
import kap.policy.ConfigFiles;
import kap.policy.ListenDefaults;

/**
 * Which configuration a {@code kap run} uses, and which of kap's directories the capsule must not see.
 */
final class Policies {

    private Policies() {
    }

    /**
     * The configuration files: {@code --config}, else {@code $KAP_CONFIG}, else {@code .devcontainer/kap.toml} or
     * {@code kap.toml} in the working directory, else the embedded default policy. The global file is the one that
     * exists now: a global file the command creates later in a place nobody had one must not become policy.
     *
     * @param request the run
     * @param context the CLI's context
     * @return the files
     * @throws IOException if a file named explicitly does not exist
     */
    static ConfigFiles files(RunRequest request, RuntimeContext context) throws IOException {
        Optional<Path> named = request.config().or(() -> Optional.ofNullable(context.environment().get("KAP_CONFIG"))
                .filter(s -> !s.isBlank()).map(s -> Path.of(s).toAbsolutePath()));
        if (named.isPresent() && !Files.isRegularFile(named.get())) {
            throw new IOException("config file not found: " + named.get());
        }
        Optional<Path> project = named.or(() -> found(request.workdir().resolve(".devcontainer").resolve("kap.toml")))
                .or(() -> found(request.workdir().resolve("kap.toml")));
        List<Path> global = ConfigFiles.standardGlobalCandidates().stream().filter(Files::isRegularFile).limit(1)
                .toList();
        ListenDefaults local = ListenDefaults.local();
        ListenDefaults defaults = new ListenDefaults(local.egress(), local.dns(), local.mcp(), local.cli(),
                local.admin(), context.home().resolve("log").resolve("audit.jsonl"));
        return new ConfigFiles(project, global, defaults,
                Optional.of(context.home().resolve("state").resolve("grants.json")));
    }

    /**
     * kap's homes, which the capsule sees as empty directories: the runtime context's and {@code ~/.kap} (the same
     * directory unless a caller chose another). They are created if missing, so that the command cannot create a
     * global {@code kap.toml} there either.
     *
     * @param context the CLI's context
     * @return the directories
     * @throws IOException if one cannot be created
     */
    static List<Path> hidden(RuntimeContext context) throws IOException {
        Path userKap = Path.of(System.getProperty("user.home", "/")).resolve(".kap");
        List<Path> homes = List.of(context.home(), userKap).stream().map(Path::toAbsolutePath).distinct().toList();
        for (Path home : homes) {
            Files.createDirectories(home);
        }
        return homes;
    }

    private static Optional<Path> found(Path file) {
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
