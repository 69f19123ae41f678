package kap.clix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import kap.shim.ShimScript;

/**
 * Where things are on the sidecar and in the capsule: deployment facts that the runtime sets, not policy, so they
 * come from the sidecar's environment rather than {@code kap.toml}. Each is read from the system property
 * {@code kap.clix.<name>} or, if that is unset, the variable {@code KAP_CLIX_<NAME>}.
 *
 * @param workspace the workspace as the sidecar sees it (read-only); {@code KAP_CLIX_WORKSPACE}, default
 *         {@code /workspace}
 * @param capsuleWorkspace the same directory as the capsule sees it; {@code KAP_CLIX_CAPSULE_WORKSPACE}, default
 *         the same path as {@code workspace}
 * @param envFile the {@code .env} file with the tools' secrets, re-read on every command;
 *         {@code KAP_CLIX_ENV_FILE}, default {@code /etc/kap/envs/.env} (a missing file is empty)
 * @param toolPath directories searched for the tools and given to them as {@code PATH};
 *         {@code KAP_CLIX_TOOL_PATH}, default the sidecar's {@code PATH}
 * @param home {@code HOME} for the tools; {@code KAP_CLIX_HOME}, default the sidecar's {@code HOME}
 * @param shimDir where shim scripts are written; {@code KAP_CLIX_SHIM_DIR}, default none (no shims written)
 * @param shimJava the {@code java} launcher as the capsule sees it; {@code KAP_CLIX_SHIM_JAVA}, default
 *         {@code /opt/kap/runtime/bin/java}
 * @param shimModulePath a module path holding {@code kap.shim} as the capsule sees it, when the runtime does not link
 *         it in; {@code KAP_CLIX_SHIM_MODULE_PATH}, default none
 * @param shimOptions JVM options for the shim, space-separated; {@code KAP_CLIX_SHIM_OPTIONS}, default
 *         {@link ShimScript#DEFAULT_OPTIONS}
 */
record ClixSettings(Path workspace, String capsuleWorkspace, Path envFile, List<Path> toolPath, Path home,
                    Optional<Path> shimDir, String shimJava, Optional<String> shimModulePath,
                    List<String> shimOptions) {

    ClixSettings {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(capsuleWorkspace, "capsuleWorkspace");
        Objects.requireNonNull(envFile, "envFile");
        toolPath = List.copyOf(toolPath);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(shimDir, "shimDir");
        Objects.requireNonNull(shimJava, "shimJava");
        Objects.requireNonNull(shimModulePath, "shimModulePath");
        shimOptions = List.copyOf(shimOptions);
    }

    /**
     * Settings from system properties and the environment of this process.
     *
     * @return settings
     */
    static ClixSettings fromSystem() {
        return from(name -> {
            String property = System.getProperty("kap.clix." + name.toLowerCase(Locale.ROOT).replace('_', '-'));
            return property != null ? property : System.getenv("KAP_CLIX_" + name);
        }, System.getenv("PATH"), System.getProperty("user.home"));
    }

    /**
     * Settings from a lookup of the short names ({@code WORKSPACE}, {@code SHIM_DIR}, ...).
     *
     * @param lookup name to value, or {@code null}
     * @param path the sidecar's {@code PATH}
     * @param home the sidecar's home directory
     * @return settings
     */
    static ClixSettings from(Function<String, String> lookup, String path, String home) {
        Function<String, Optional<String>> get = name -> Optional.ofNullable(lookup.apply(name))
                .map(String::strip).filter(v -> !v.isEmpty());
        Path workspace = Path.of(get.apply("WORKSPACE").orElse("/workspace"));
        String capsule = get.apply("CAPSULE_WORKSPACE").orElse(workspace.toString());
        List<Path> toolPath = new ArrayList<>();
        for (String dir : get.apply("TOOL_PATH").or(() -> Optional.ofNullable(path)).orElse("/usr/bin:/bin")
                .split(":")) {
            if (!dir.isBlank()) {
                toolPath.add(Path.of(dir));
            }
        }
        List<String> options = get.apply("SHIM_OPTIONS").map(o -> Arrays.asList(o.split("\\s+")))
                .orElse(ShimScript.DEFAULT_OPTIONS);
        return new ClixSettings(workspace, capsule, Path.of(get.apply("ENV_FILE").orElse("/etc/kap/envs/.env")),
                toolPath, Path.of(get.apply("HOME").orElse(home == null ? "/" : home)),
                get.apply("SHIM_DIR").map(Path::of), get.apply("SHIM_JAVA").orElse("/opt/kap/runtime/bin/java"),
                get.apply("SHIM_MODULE_PATH"), options);
    }

    /**
     * The tools' {@code PATH}.
     *
     * @return colon-separated directories
     */
    String pathValue() {
        return String.join(":", toolPath.stream().map(Path::toString).toList());
    }
}
