package kap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts kap reads from a project's {@code .devcontainer/devcontainer.json} (JSONC).
 *
 * @param file the file
 * @param root the parsed document
 */
record Devcontainer(Path file, Jsonc.Obj root) {

    /** The overlay kap generates; it must be the last compose file. */
    static final String OVERLAY = "docker-compose.kap.yml";
    /** The command devcontainer.json runs on the host before compose starts. */
    static final String INITIALIZE = "kap sidecar-init";
    /** Where the CLI shims appear in the app container. */
    static final String SHIM_PATH = "/opt/kap/bin";

    /**
     * Reads and parses the file.
     *
     * @param file devcontainer.json
     * @return the parsed file
     * @throws IOException if it cannot be read
     * @throws JsoncException naming the line if it does not parse
     */
    static Devcontainer read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return new Devcontainer(file, new JsoncEditor(text).root());
        } catch (JsoncException e) {
            throw new JsoncException(file + ":" + e.getMessage());
        }
    }

    Optional<String> name() {
        return root.string("name").filter(s -> !s.isBlank());
    }

    Optional<String> image() {
        return root.string("image");
    }

    Optional<String> workspaceFolder() {
        return root.string("workspaceFolder");
    }

    String service() {
        return root.string("service").orElse("app");
    }

    boolean usesCompose() {
        return root.get("dockerComposeFile").isPresent();
    }

    /** The compose files, in order, as written (relative to {@code .devcontainer/}). */
    List<String> composeFiles() {
        List<String> files = new ArrayList<>();
        root.get("dockerComposeFile").ifPresent(v -> {
            if (v instanceof Jsonc.Str s) {
                files.add(s.value());
            } else if (v instanceof Jsonc.Arr a) {
                a.items().stream().filter(Jsonc.Str.class::isInstance).forEach(i -> files.add(((Jsonc.Str) i).value()));
            }
        });
        return files;
    }

    Map<String, String> stringMap(String key) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        root.get(key).filter(Jsonc.Obj.class::isInstance).ifPresent(o -> ((Jsonc.Obj) o).members()
                .forEach(m -> {
                    if (m.value() instanceof Jsonc.Str s) {
                        result.put(m.key(), s.value());
                    }
                }));
        return result;
    }

    /** {@code build} of an image-less devcontainer.json, as a plain map. */
    Optional<Map<?, ?>> build() {
        return root.get("build").filter(Jsonc.Obj.class::isInstance).map(v -> (Map<?, ?>) v.plain());
    }

    Optional<String> remoteUser() {
        return root.string("remoteUser").or(() -> root.string("containerUser"));
    }

    /**
     * What is missing for kap in this file, one line each (empty when complete).
     *
     * @return problems
     */
    List<String> missingKapSettings() {
        List<String> problems = new ArrayList<>();
        List<String> files = composeFiles();
        if (files.isEmpty() || !files.getLast().equals(OVERLAY)) {
            problems.add("dockerComposeFile must end with \"" + OVERLAY + "\"");
        }
        String init = root.get("initializeCommand").map(v -> String.valueOf(v.plain())).orElse("");
        if (!init.contains(INITIALIZE)) {
            problems.add("initializeCommand must include \"" + INITIALIZE + "\"");
        }
        if (!stringMap("remoteEnv").getOrDefault("PATH", "").contains(SHIM_PATH)) {
            problems.add("remoteEnv.PATH must include \"" + SHIM_PATH + "\" for the CLI shims");
        }
        return problems;
    }
}
