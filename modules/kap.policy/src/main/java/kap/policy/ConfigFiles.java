package kap.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which files make up a configuration: an optional project file and the candidates for the global file.
 *
 * <p>The first global candidate that exists is merged; a candidate that exists but does not parse is an error, not
 * skipped, because skipping a global deny list would fail open.
 *
 * @param project the project {@code kap.toml}, or empty to use the embedded default policy
 * @param globalCandidates global files in order of preference
 * @param defaults listen addresses and log path used where the file sets none
 * @param grants the grants file ({@link Grants}) beside the configuration, or empty for none
 */
public record ConfigFiles(Optional<Path> project, List<Path> globalCandidates, ListenDefaults defaults,
                          Optional<Path> grants) {

    /**
     * Copies the list.
     */
    public ConfigFiles {
        Objects.requireNonNull(project, "project");
        globalCandidates = List.copyOf(globalCandidates);
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(grants, "grants");
    }

    /**
     * Files without a grants file.
     *
     * @param project the project file, or empty for the embedded default
     * @param globalCandidates global files in order of preference
     * @param defaults listen defaults
     */
    public ConfigFiles(Optional<Path> project, List<Path> globalCandidates, ListenDefaults defaults) {
        this(project, globalCandidates, defaults, Optional.empty());
    }

    /**
     * The standard global candidates: {@code /etc/kap/global.toml} (inside a sidecar container), then
     * {@code ~/.kap/kap.toml}.
     *
     * @return candidates
     */
    public static List<Path> standardGlobalCandidates() {
        List<Path> result = new ArrayList<>();
        result.add(Path.of("/etc/kap/global.toml"));
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank()) {
            result.add(Path.of(home, ".kap", "kap.toml"));
        }
        return result;
    }

    /**
     * The global file that applies now.
     *
     * @return the first candidate that exists, or empty
     */
    public Optional<Path> global() {
        return globalCandidates.stream().filter(Files::exists).findFirst();
    }
}
