package kap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The devcontainer's service from the project's compose files, merged in order (the kap overlay left out), and
 * whether kap can model it by itself.
 *
 * @param definition the service's keys, later files winning key by key
 * @param otherServices the names of the other services
 * @param directory the directory relative paths are resolved against ({@code .devcontainer/})
 */
record ComposeService(Map<String, Object> definition, List<String> otherServices, Path directory) {

    /** Keys of a service that {@code kap up} reproduces; anything else is handed to the devcontainer CLI. */
    static final Set<String> MODELLED = Set.of("image", "build", "volumes", "environment", "command", "working_dir",
            "user", "init", "labels", "container_name");

    /** Keys that would give the app another way out; kap refuses them rather than run a leaky capsule. */
    static final Set<String> BREAKS_ISOLATION = Set.of("networks", "network_mode", "ports", "cap_add", "privileged",
            "extra_hosts", "devices", "pid", "ipc");

    private static final int MAX_YAML_CHARS = 1 << 20;

    /**
     * Reads the service from the compose files.
     *
     * @param directory {@code .devcontainer/}
     * @param files compose files as devcontainer.json lists them
     * @param service the service name
     * @return the service
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if a file is not valid YAML or has no such service
     */
    static ComposeService read(Path directory, List<String> files, String service) throws IOException {
        Map<String, Object> merged = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        for (String name : files) {
            if (name.equals(Devcontainer.OVERLAY)) {
                continue;
            }
            Path file = directory.resolve(name);
            for (var e : services(file).entrySet()) {
                if (e.getKey().equals(service)) {
                    if (e.getValue() instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> merged.put(String.valueOf(k), v));
                    }
                } else if (!others.contains(e.getKey())) {
                    others.add(e.getKey());
                }
            }
        }
        if (merged.isEmpty()) {
            throw new IllegalArgumentException("no service '" + service + "' in " + files);
        }
        return new ComposeService(merged, others, directory);
    }

    private static Map<String, Object> services(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.length() > MAX_YAML_CHARS) {
            throw new IllegalArgumentException(file + ": larger than " + MAX_YAML_CHARS + " characters");
        }
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(50).setCodePointLimit(MAX_YAML_CHARS).build();
        Object doc;
        try {
            doc = new Load(settings).loadFromString(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (doc instanceof Map<?, ?> top && top.get("services") instanceof Map<?, ?> services) {
            services.forEach((k, v) -> result.put(String.valueOf(k), v));
        }
        return result;
    }

    /**
     * Why kap cannot reproduce this set-up by itself, or empty if it can.
     *
     * @return the reason
     */
    /**
     * Keys of the service that would open a way around the sidecar (its own networks, host ports, privileges).
     *
     * @return the keys, sorted; empty when none
     */
    List<String> isolationBreakers() {
        return definition.keySet().stream().filter(BREAKS_ISOLATION::contains).sorted().toList();
    }

    Optional<String> unmodelled() {
        if (!otherServices.isEmpty()) {
            return Optional.of("the compose files define other services too: " + String.join(", ", otherServices));
        }
        List<String> extra = definition.keySet().stream().filter(k -> !MODELLED.contains(k)).sorted().toList();
        if (!extra.isEmpty()) {
            return Optional.of("the service uses " + String.join(", ", extra));
        }
        if (!definition.containsKey("image") && !definition.containsKey("build")) {
            return Optional.of("the service has neither image nor build");
        }
        return Optional.empty();
    }

    Optional<String> string(String key) {
        Object v = definition.get(key);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    /** {@code environment}, as a map or a list of {@code KEY=VALUE}. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        switch (definition.get("environment")) {
            case Map<?, ?> m -> m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            case List<?> l -> l.forEach(item -> {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                if (eq > 0) {
                    env.put(s.substring(0, eq), s.substring(eq + 1));
                }
            });
            case null, default -> {
            }
        }
        return env;
    }

    /** {@code command}: a list, or a string split like a shell would (quotes, no expansion). */
    Optional<List<String>> command() {
        return switch (definition.get("command")) {
            case List<?> l -> Optional.of(l.stream().map(String::valueOf).toList());
            case String s -> Optional.of(Words.split(s));
            case null, default -> Optional.empty();
        };
    }

    /** {@code volumes} in short or long syntax, as {@code source:target[:ro]} triples. */
    List<String[]> volumes() {
        List<String[]> result = new ArrayList<>();
        if (!(definition.get("volumes") instanceof List<?> list)) {
            return result;
        }
        for (Object item : list) {
            if (item instanceof String s) {
                String[] parts = s.split(":");
                if (parts.length >= 2) {
                    boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
                    result.add(new String[] {parts[0], parts[1], ro ? "ro" : "rw"});
                }
            } else if (item instanceof Map<?, ?> m && m.get("source") != null && m.get("target") != null) {
                boolean ro = Boolean.TRUE.equals(m.get("read_only"));
                result.add(new String[] {String.valueOf(m.get("source")), String.valueOf(m.get("target")),
                        ro ? "ro" : "rw"});
            }
        }
        return result;
    }
}
